#!/usr/bin/env bash
# Seventeenth session: does a sweep's first point of a shape read slow because it follows the
# previous shape's M = 16384, and does `bench --sweep --cooldown` (idle before each shape) fix it?
# Two shapes whose second's M = 1 / 16 follow the first's M = 16384; cooldown 0 and 1000 ms
# alternated, two rounds, the SM clock logged every 100 ms.
B=${B:-build-carry}
for round in 1 2; do
  for cd in 0 1000; do
    nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw --format=csv,noheader -lms 100 >"$OUT/clk_${round}_$cd.csv" &
    smi=$!
    "$B/w4a16" bench --sweep --backend sm80 --shapes 8192x28672,4096x14336 --ms 1,16,16384 --cooldown $cd \
      --warmup 3 --iters 15 2>&1 | grep -E "^sm80" | awk -v r=$round -v c=$cd '{print "round", r, "cooldown", c, $3, $4, $5, $6, $7}'
    kill $smi
    echo "  clock MHz min/median/max: $(cut -d, -f2 "$OUT/clk_${round}_$cd.csv" | grep -oE '[0-9]+' | sort -n |
      awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)], a[NR]}')"
    rm -f "$OUT/clk_${round}_$cd.csv"
  done
done
