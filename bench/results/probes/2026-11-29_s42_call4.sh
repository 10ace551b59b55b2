#!/usr/bin/env bash
# Forty-second session, call 4: version 140 (the plan-priced pick above mid M, M = 513-1023: kHiModel, each tile's own
# k-block price, coop_r256_t128 among the candidates, 1% margin), the carried build. 1. gpu-check tests sanitize sass.
# 2. A/B against version 139 (.carry/v139.tar.xz, its CLI), 3 interleaved repeats, on 27 problems outside the fit
# whose pick moves (fp16; 3 bf16, 1 zeros) and 2 controls. 3. Ours against cuBLAS in one run at M = 576-960.
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "subnormal instance in\|stream-K quads planned" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
AB_SIDES="v139:v139 v140:new" AB_RAW="$OUT/ab_raw_v140.txt" \
  timeout 290 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s42_v140_cases.txt | tee "$OUT/ab_v140.txt"
timeout 100 build-carry/w4a16 bench --sweep --dtype fp16 --shapes 3584x4096,6144x4096,8192x4096,6144x6144,14336x8192 \
  --ms 576,768,960 --cooldown 300 --json "$OUT/hi_fp16.json" >"$OUT/hi_fp16.txt" 2>&1
tail -20 "$OUT/hi_fp16.txt"
