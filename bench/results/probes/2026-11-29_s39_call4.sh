#!/usr/bin/env bash
# Thirty-ninth session, call 4: the version 133 candidate (branch v133-bf16-decode-zm; CLI-only build
# .carry/v133.tar.xz, source 22d09526) against version 132 as submitted (397bd9b7): bf16's 8- and 16-token decode
# tiles with the zero-point mode fixed at compile time (kZmNone / kZmZeros) instead of read at run time, the scale
# box on the thread it is on in the run-time mode. 14 bf16 decode points (4 with zeros) and 2 controls whose
# kernels are the same in both builds (fp16 8192^2 M=1; bf16 8192^2 M=64, the 64-token tile). 5 interleaved repeats.
set -uo pipefail
AB_SIDES="v132:new v133:v133" AB_RAW="$OUT/ab_raw_v133.txt" timeout 480 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s39_v133_cases.txt | tee "$OUT/ab_v133.txt"
