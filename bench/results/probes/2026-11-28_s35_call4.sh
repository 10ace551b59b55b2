#!/usr/bin/env bash
# Thirty-fifth session, call 4: version 126 (a 96-token tile coop_r128_t96 in the table and in sm90_pick's model at
# M = 65-96, taken 3% below the best other; the sm90 epilogue's chunk width made to divide any tile width). The
# carried build's GPU tests and SASS, then its picks against version 125 (921b5dd2, .carry/old.tar.xz) where they
# differ (M = 65-96), interleaved, 3 repeats.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout 390 scripts/ab.sh 3 < bench/results/probes/2026-11-28_s35_call4_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
