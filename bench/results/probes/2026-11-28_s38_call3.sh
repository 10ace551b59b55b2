#!/usr/bin/env bash
# Thirty-eighth session, call 3: sweep v70 of version 130 as submitted (source c0da3880, .carry/build.tar.xz), sm90
# family, fp16, with the zero-point gap check: the figures against cuBLAS that the thirty-seventh session estimated.
set -uo pipefail
BENCH_FAMILIES="sm90" timeout 560 scripts/gpu-check.sh bench >"$OUT/check.log" 2>&1
echo "rc=$? at $SECONDS s"
