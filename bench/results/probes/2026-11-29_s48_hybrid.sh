#!/usr/bin/env bash
# Forty-eighth session, call 2. The stmatrix epilogue (row 147 candidate) read 1-3% faster at M >= 128 in
# call 1 but 1.1% slower at 8192^2 M=16 (tight repeats). The hybrid build (carried as build.tar.xz) keeps
# stmatrix for tiles of >= 64 tokens and the 2-byte stores (with the same XOR layout) below. Sides:
# old = submitted c62865a0 (.carry/s46.tar.xz), stm = stmatrix everywhere (.carry/stm.tar.xz, 4558a746),
# hyb = the hybrid. Correctness and sanitizers of the hybrid first.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
scripts/gpu-check.sh tests sanitize sass
cp "$OUT/summary.txt" "$OUT/summary_hybrid_check.txt"
AB_SIDES="old:s46 stm:stm hyb:new" AB_RAW="$OUT/ab_raw_hybrid.txt" timeout 330 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s48_hybrid_cases.txt | tee "$OUT/ab_hybrid.txt"
