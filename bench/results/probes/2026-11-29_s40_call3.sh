#!/usr/bin/env bash
# Fortieth session, call 3: the stream-K fill on more plans (probe, patch 2026-11-29_s40_streamk_fill.patch on the
# submitted source: kStreamKFillBelow 0.7 -> 0.75, kStreamKFillMinK 4096 -> 2048; CLI built on the build machine,
# source 71108bd7 in .carry/skfill.tar.xz). The energy probe (call 2) read 6144x4096 M=256 at 1785 MHz against
# cuBLAS's 1395 and still 6.4% slower: 96 whole tiles on 132 SMs. The listing of the picks it moves (fortieth
# session section) covers 96-tile plans on 6144x4096, 6144x8192, 3072x8192, 4096^2 M=384, 3072x4096 M=384-512.
# 20 cases (the last, 28672x4096 M=64, a control with the same plan) x 2 sides x 3 interleaved repeats.
set -uo pipefail
AB_SIDES="base:new skfill:skfill" AB_RAW="$OUT/ab_raw_skfill.txt" timeout 560 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-29_s40_skfill_cases.txt | tee "$OUT/ab_skfill.txt"
