#!/usr/bin/env bash
# Thirty-third session, call 5: call 4's tune pass found coop_r128_t128 (a cluster pair, split 2) 7% faster than the
# heuristic's coop_r128_t64 (whole tiles) at 6144x4096 M=128, and t64 3% faster than t128 at 4096x14336 M=128. Both
# configurations forced at M = 65-128 on the shapes where the model picks one or the other, 3 interleaved repeats.
set -uo pipefail
: >/tmp/c5
for c in "72 6144 4096" "96 6144 4096" "128 6144 4096" "128 8192 4096" "128 4096 4096" "128 3072 4096" "96 4096 14336" "128 4096 14336" "128 6144 8192"; do
  for cfg in coop_r128_t64 coop_r128_t128; do echo "$c --backend sm90 --config $cfg" >>/tmp/c5; done
done
AB_SIDES="new:new" AB_RAW=$OUT/raw_c5.txt scripts/ab.sh 3 </tmp/c5 >"$OUT/ab_c5.txt" 2>&1
cat "$OUT/ab_c5.txt"
