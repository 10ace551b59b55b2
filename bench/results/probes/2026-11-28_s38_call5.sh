#!/usr/bin/env bash
# Thirty-eighth session, call 5: sweeps v71 of version 130 as submitted (source c0da3880, .carry/build.tar.xz), both
# families, bf16 (the last full bf16 sweeps: v33/v34 before the H200; since, only decode and M = 128/256 subsets),
# with the zero-point gap check in bf16.
set -uo pipefail
BENCH_FAMILIES="sm90 sm80" BENCH_DTYPES=bf16 ZEROS_DTYPE=bf16 timeout 590 scripts/gpu-check.sh bench >"$OUT/check.log" 2>&1
echo "rc=$? at $SECONDS s"
