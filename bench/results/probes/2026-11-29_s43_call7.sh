#!/usr/bin/env bash
# Forty-third session, call 7: are the stream-K fill's extra L2 reads (call 6: ~0.99 M sectors from the SMs without
# a load instruction) more TMA loads, or the same loads costing more sectors? Executed instructions per SASS opcode
# (UTMALDG, UBLKCP, LDG, STG, ...) of both plans of 6144x4096 M=192, coop_r128_t128 forced, as in call 6.
set -uo pipefail
tar -xJf .carry/build.tar.xz
mkdir -p /tmp/sk && tar -xJf .carry/skfill.tar.xz -C /tmp/sk
for side in base:build-carry skfill:/tmp/sk/build-carry; do
  echo "## M=192 N=6144 K=4096 coop_r128_t128 ${side%%:*}"
  timeout 120 ncu -k regex:sm90_w4a16 --launch-skip 1 --launch-count 1 --metrics sass__inst_executed_per_opcode,launch__grid_size \
    --print-metric-instances details "${side#*:}/w4a16" bench -m 192 -n 6144 -k 4096 --config coop_r128_t128 --warmup 1 \
    --iters 1 2>&1 | grep -vE "^==PROF==|^\s*$|^device|^seed|^backend|^sm90|^without" | tr ';' '\n' | head -200
done > "$OUT/ncu_opcodes.txt" 2>&1
cat "$OUT/ncu_opcodes.txt" | head -150
