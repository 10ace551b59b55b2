#!/usr/bin/env bash
# PREPARED in the thirty-sixth session, NOT YET RUN: for the first call on an H100 (kind nvidia-h100-x1), versions
# 125-128 measured only on H200s. The submitted build's GPU tests, SASS and sanitizers (.carry/build.tar.xz), then its
# picks against the last build before them (81b99182, /work/carry-archive/final_81b991829a93ede8.tar.xz copied to
# .carry/old.tar.xz) at 24 problems where versions 125-128 moved the pick (M = 72-768: the 96-, 160- and 192-token
# tiles, the 256-row rule, the slice guard), interleaved, 3 repeats; about 8 minutes. Then the sweep's odd M against
# cuBLAS is worth a second call: w4a16 bench at M = 72, 136, 160, 320 on the eight DESIGN shapes.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass sanitize; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout $((570 - SECONDS)) scripts/ab.sh 3 < bench/results/probes/2026-11-28_s36_next_h100_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
