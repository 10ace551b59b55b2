#!/usr/bin/env bash
# Thirty-ninth session, call 2: the version 132 candidate (branch v132-t128-bf16-noshift; CLI-only build
# .carry/v132.tar.xz, source 3e5dd886) against the submitted build (ab5a96ba, version 130's kernels):
# bf16's 128-token pair instance without the last-tile shift. 8 bf16 t128 pair points whose last tile does
# not shift, and 4 controls whose kernels are the same in both builds (fp16 8192^2 M=112/128: fp16 is
# unchanged; bf16 28672x4096 M=64: whole 64-token tiles; bf16 4096^2 M=160: a t128 pair that shifts).
# 5 interleaved repeats.
set -uo pipefail
AB_SIDES="v130:new v132:v132" AB_RAW="$OUT/ab_raw_v132.txt" timeout 420 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s39_v132_cases.txt | tee "$OUT/ab_v132.txt"
