#!/usr/bin/env bash
# Forty-first session, call 2: version 138 (the quads up to the clusters of four that fit, read off the device:
# DeviceProps::quad_clusters). 1. gpu-check tests sanitize (the quads' GPU test now has an 84-tile case with a K tail
# and a 90-tile case, and requires every planned quad to launch as one). 2. Ours against cuBLAS in one run on shapes
# the wider rule moves. 3. A/B against W4A16_QUADS=0 on the same build, 3 repeats, a subset of call 1's cases.
# 4. w4a16 tune on the mid-M shapes where call 1 read 0.80-0.89x cuBLAS, to see whether another configuration of ours
# is faster there.
set -uo pipefail
scripts/gpu-check.sh tests sanitize 2>&1 | tail -15
grep -h "stream-K quads\|pair instances without" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
for dt in fp16 bf16; do
  timeout 90 build-carry/w4a16 bench --sweep --dtype $dt --shapes 3584x4096,5376x4096,10752x4096,2304x4096 \
    --ms 112,128,192,256,384,576 --cooldown 500 --json "$OUT/q90shapes_$dt.json" >"$OUT/q90shapes_$dt.txt" 2>&1
  tail -26 "$OUT/q90shapes_$dt.txt"
done
head -8 bench/results/probes/2026-11-29_s41_q90_cases.txt | AB_SIDES="v138:new whole:new:W4A16_QUADS=0" \
  AB_RAW="$OUT/ab_raw_v138.txt" timeout 90 scripts/ab.sh 3 | tee "$OUT/ab_v138.txt"
for s in "192,256,320,384 3072 3072" "192,384 3072 4096" "192,256 4608 4096"; do
  read -r ms n k <<<"$s"
  timeout 100 build-carry/w4a16 tune -m "$ms" -n "$n" -k "$k" --out "$OUT/tune_mid.tsv" 2>&1 | tail -40
done
