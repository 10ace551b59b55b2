#!/usr/bin/env bash
# Thirty-ninth session, call 3: version 132 as submitted (source 397bd9b7, .carry/build.tar.xz): its suites, SASS and
# sanitizers (the subset now with bf16's 128-token pairs in both forms), then the sm90 bf16 sweep (v74) with the
# zero-point gap check in bf16: version 132 changed only bf16's 128-token pair launches.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
echo "check rc=$? at $SECONDS s"
mv "$OUT/summary.txt" "$OUT/check_summary.txt"
mv "$OUT/logs.tgz" "$OUT/check_logs.tgz"
BENCH_FAMILIES=sm90 BENCH_DTYPES=bf16 ZEROS_DTYPE=bf16 timeout $((570 - SECONDS)) scripts/gpu-check.sh bench >"$OUT/bench.log" 2>&1
echo "bench rc=$? at $SECONDS s"
cat "$OUT/check_summary.txt" "$OUT/summary.txt"
