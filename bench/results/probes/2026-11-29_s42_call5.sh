#!/usr/bin/env bash
# Forty-second session, call 5: the submitted form of version 140 (call 4's after review: up to M = 960, the fit's
# largest, and only whole tiles and workspace splits replace the base pick), the carried build. 1. gpu-check tests
# sanitize sass. 2. Against version 139, 3 interleaved repeats: the two problems call 4 found slower (now version
# 139's plans again), three it found faster, and 6144x4096 M=576 (coop_r256_t128). 3. Ours against cuBLAS in one run
# at M = 576-960, bf16.
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "subnormal instance in\|stream-K quads planned" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
AB_SIDES="v139:v139 v140:new" AB_RAW="$OUT/ab_raw_v140_final.txt" \
  timeout 120 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s42_v140_final_cases.txt | tee "$OUT/ab_v140_final.txt"
timeout 100 build-carry/w4a16 bench --sweep --dtype bf16 --shapes 3584x4096,6144x4096,8192x4096,6144x6144,14336x8192 \
  --ms 576,768,960 --cooldown 300 --json "$OUT/hi_bf16.json" >"$OUT/hi_bf16.txt" 2>&1
tail -20 "$OUT/hi_bf16.txt"
