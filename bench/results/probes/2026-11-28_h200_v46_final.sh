#!/bin/bash
# v46 (the twenty-eighth session's final source): GPU suites, SASS, sanitizers, the sm90 fp16 sweep with
# the scale+zero gap step (fp16), then the bf16 gap step on three points. Outputs renamed so the second
# gpu-check run does not overwrite the first's summary.
set -u
BENCH_FAMILIES=sm90 ZEROS_REPEATS=5 scripts/gpu-check.sh tests sass sanitize bench > "$OUT/run1.txt" 2>&1
mv "$OUT/summary.txt" "$OUT/summary_check_bench.txt"; mv "$OUT/logs.tgz" "$OUT/logs_check_bench.tgz"
grep -v "^== \|^sm90 \|^[0-9]" "$OUT/run1.txt" | tail -40
ZEROS_DTYPE=bf16 ZEROS_REPEATS=5 ZEROS_POINTS="1x8192x8192 16x8192x8192 16x57344x8192" timeout 150 scripts/gpu-check.sh zeros > "$OUT/run2.txt" 2>&1
grep zeros-vs-sym "$OUT/summary.txt"
