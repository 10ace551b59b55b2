#!/usr/bin/env bash
# Thirty-sixth session, call 5: the submitted build (version 128's split-slice guard in its final form: >= 1152 of K
# a slice and 8 per token of the tile). Its GPU tests and SASS, and its picks against version 126 (5a5eabc2,
# .carry/old.tar.xz) where the guard's final form differs from call 4's (3072x6144 M=72-96 back to t96 split 5).
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout 100 scripts/ab.sh 3 < bench/results/probes/2026-11-28_s36_call5_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
