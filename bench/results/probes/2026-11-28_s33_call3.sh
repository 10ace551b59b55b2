#!/usr/bin/env bash
# Thirty-third session, call 3: the submitted source (versions 119-122) -- GPU suites, SASS check and sanitizers;
# against the thirty-second session's build (old = 421487cd) on bf16's r256_t128 (new to the subnormal form since
# call 2) with an fp16 control; then sweeps for docs/PERFORMANCE.md: sm90 bf16 M = 128/256 (version 121) and
# sm80 fp16 M = 4/64/128 (versions 119 and 122).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
cat >/tmp/c3 <<'C'
128 28672 4096 --backend sm90 --dtype bf16
128 28672 4096 --backend sm90
128 8192 8192 --backend sm90 --dtype bf16
C
AB_SIDES="old:old new:new" AB_RAW=$OUT/raw_c3.txt scripts/ab.sh 4 </tmp/c3 >"$OUT/ab_c3.txt" 2>&1
B=build-carry/w4a16
$B bench --sweep --backend sm90 --dtype bf16 --ms 128,256 --json "$OUT/sm90_bf16_m128_256.json" >"$OUT/sm90_bf16_m128_256.txt" 2>&1
$B bench --sweep --backend sm80 --ms 4,64,128 --json "$OUT/sm80_fp16_m4_64_128.json" >"$OUT/sm80_fp16_m4_64_128.txt" 2>&1
cat "$OUT/summary.txt" "$OUT/ab_c3.txt" "$OUT/sm90_bf16_m128_256.txt" "$OUT/sm80_fp16_m4_64_128.txt"
