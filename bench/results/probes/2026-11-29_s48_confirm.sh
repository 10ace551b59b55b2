#!/usr/bin/env bash
# Forty-eighth session, call 4: version 147 (stmatrix epilogue, carried as build.tar.xz) against the submitted
# c62865a0 (.carry/s46.tar.xz), 7 interleaved repeats, at the sweep v118's misses and near-misses
# (M >= 1024 points that moved between v115 and v118 with the clocks, the zeros point that read +9.0%)
# and the decode control that read +0.8% in calls 1 and 2.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
tar -xJf .carry/build.tar.xz
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$OUT/gpu.txt"
AB_SIDES="old:s46 new:new" AB_RAW="$OUT/ab_raw_confirm.txt" timeout 420 scripts/ab.sh 7 \
  < bench/results/probes/2026-11-29_s48_confirm_cases.txt | tee "$OUT/ab_confirm.txt"
