#!/usr/bin/env bash
# Thirty-ninth session, call 6: version 134 as submitted (source c3cb1566): the sm90 bf16 sweep (v76) with the
# zero-point gap check in bf16 (version 134 changed bf16's 16-token tiles, the decode M=16 points and their gap).
set -uo pipefail
BENCH_FAMILIES=sm90 BENCH_DTYPES=bf16 ZEROS_DTYPE=bf16 timeout 290 scripts/gpu-check.sh bench >"$OUT/bench.log" 2>&1
echo "bench rc=$? at $SECONDS s"
cat "$OUT/summary.txt"
