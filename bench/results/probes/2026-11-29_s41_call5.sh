#!/usr/bin/env bash
# Forty-first session, call 5: version 139 (the mid-M pick with its 3% margin; tests force the 128-token tile where
# they test the quads), the carried build. 1. gpu-check tests sanitize sass. 2. A/B against version 138
# (.carry/v138.tar.xz, its CLI), 3 interleaved repeats: the six measured cases of Dispatch.TokenTileAndSplitFromTheProbes
# the pick moves (with a bf16 and a zeros variant), four quad plans it replaces, the two problems its margin keeps, a
# control. 3. Ours against cuBLAS in one run at mid M (both dtypes).
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "stream-K quads\|pair instances without\|subnormal instance" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
AB_SIDES="v138:v138 v139:new" AB_RAW="$OUT/ab_raw_v139.txt" \
  timeout 200 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s41_v139_cases.txt | tee "$OUT/ab_v139.txt"
for dt in fp16 bf16; do
  timeout 80 build-carry/w4a16 bench --sweep --dtype $dt --shapes 2304x4096,3072x4096,4096x4096,4608x4096,8192x4096,5120x5120 \
    --ms 160,192,256,320,384 --cooldown 500 --json "$OUT/mid_$dt.json" >"$OUT/mid_$dt.txt" 2>&1
  tail -32 "$OUT/mid_$dt.txt"
done
