#!/usr/bin/env bash
# Thirty-third session, call 6: the submitted source with version 123 (sm90_pick's third rule: 128-token cluster
# pairs instead of whole 64-token tiles at M = 65-128) -- GPU suites, SASS check, sanitizers; then against the
# thirty-second session's build (old = 421487cd) on the points the rule moves, and both configurations forced at
# K = 2048, where the rule also applies but call 5 measured nothing.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
cat >/tmp/c6 <<'C'
128 6144 4096 --backend sm90
96 6144 4096 --backend sm90
128 8192 4096 --backend sm90
128 6144 4096 --backend sm90 --dtype bf16
C
AB_SIDES="old:old new:new" AB_RAW=$OUT/raw_c6.txt scripts/ab.sh 3 </tmp/c6 >"$OUT/ab_c6.txt" 2>&1
: >/tmp/c6f
for c in "128 5120 2048" "96 8192 2048" "128 6144 2048"; do
  for cfg in coop_r128_t64 coop_r128_t128; do echo "$c --backend sm90 --config $cfg" >>/tmp/c6f; done
done
AB_SIDES="new:new" AB_RAW=$OUT/raw_c6f.txt scripts/ab.sh 3 </tmp/c6f >"$OUT/ab_c6f.txt" 2>&1
cat "$OUT/summary.txt" "$OUT/ab_c6.txt" "$OUT/ab_c6f.txt"
