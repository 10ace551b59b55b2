#!/usr/bin/env bash
# Thirty-fifth session, call 3: version 125 as submitted (the 192-token tile taken 3% below the best other in
# the model). Its GPU tests and SASS; bf16, zero points and group 32 on the tile's picks against the
# submitted build 81b99182 (.carry/old.tar.xz), interleaved, 3 repeats; the odd token counts of v63's sweep
# (M = 72, 160, 200, 300) plus 136 and 320 on the DESIGN shapes, ours and cuBLAS.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass; echo "check done $SECONDS s"
printf '%s\n' "160 8192 8192 --dtype bf16" "160 28672 4096 --dtype bf16" "320 8192 8192 --dtype bf16" \
  "160 57344 8192 --dtype bf16" "192 4096 14336 --dtype bf16" "160 8192 8192 --zeros" "320 8192 4096 --zeros" \
  "160 28672 4096 --zeros" "160 8192 8192 --group 32" "136 3072 4096" |
  AB_RAW="$OUT/ab_raw.txt" timeout 200 scripts/ab.sh 3 | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
timeout 250 build-carry/w4a16 bench --sweep --backend sm90 --ms 72,136,160,200,300,320 \
  --json "$OUT/odd_m.json" 2>&1 | tee "$OUT/odd_m.txt" | grep -E "^sm|FAIL" | tail -60
echo "sweep done $SECONDS s"
