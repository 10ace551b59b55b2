#!/usr/bin/env bash
# Seventeenth session: the group sizes the sweeps never covered (g = 32, 64, 256 and per-channel against the
# sweeps' g = 128), two shapes, both families, fp16, one process per (family, group): w4a16 bench --sweep.
B=${B:-build-carry}
for fam in sm90 sm80; do
  for g in 32 64 128 256 channel; do
    "$B/w4a16" bench --sweep --backend $fam --group $g --shapes 8192x8192,28672x4096 --ms 1,16,64,256,4096 \
      --warmup 3 --iters 15 --json "$OUT/group_${fam}_$g.json" 2>&1 | grep -E "^$fam|FAIL" |
      awk -v g=$g '{printf "g=%-8s %s\n", g, $0}'
  done
done
