#!/usr/bin/env bash
# Forty-third session, call 1: the submitted source (14ad9f54, carried build) swept against cuBLAS in one call,
# sm90 fp16 and bf16 (`w4a16 bench --sweep`), with the scale+zero gap check in fp16 (5 repeats) and bf16 (3).
# The last sweeps were v70 (fp16, version 130) and v76 (bf16, version 134); versions 137-140 came after them.
set -uo pipefail
BENCH_FAMILIES=sm90 BENCH_DTYPES="fp16 bf16" scripts/gpu-check.sh bench 2>&1 | grep -v "^sm90 \|^[0-9]" | tail -30
cp "$OUT/summary.txt" "$OUT/summary_bench.txt"; cp "$OUT/logs.tgz" "$OUT/logs_bench.tgz"
ZEROS_DTYPE=bf16 ZEROS_REPEATS=3 scripts/gpu-check.sh zeros 2>&1 | tail -12
