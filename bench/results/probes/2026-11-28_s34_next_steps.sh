#!/usr/bin/env bash
# PREPARED in the thirty-fourth session, NOT YET RUN: token-count steps where version 124 cannot help or was not
# looked at, on the carried build (ours and cuBLAS in each run, 20 iterations). (1) sm90 M = 36-64 by 4: the heuristic's
# pick (M <= 32: t32; above: t64 or the t32-pair rule) against t32 and t64 forced. At M = 33-63 the 64-token tile is
# one partial tile (no shift possible), two 32-token tiles shift their second when it holds < 16 tokens. (2) sm90
# M = 72-120 by 8 against t64 and t128 forced (t128: one partial tile; t64: the second shifts below M = 96).
# (3) sm80 M = 136-256 by 8 (the heuristic's pick): does the sm80 family, whose X loads zero-fill rows past M with
# cp.async, show the sm90 step (8192x4096 M=136 34.1 us against M=208 24.7 before version 124)?  About 4 minutes.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
B=build-carry/w4a16
s() { timeout 150 $B bench --sweep --iters 20 "$@" 2>&1 | grep -E "^sm|^ref|^backend|FAIL"; }
{ for cfg in auto coop_r128_t32 coop_r128_t64; do
    opt=(); [ $cfg = auto ] || opt=(--config $cfg)
    echo "## sm90 M=36-64 $cfg"; s --backend sm90 --shapes 8192x4096,8192x8192 --ms "$(seq -s, 36 4 64)" "${opt[@]}"
  done
  for cfg in auto coop_r128_t64 coop_r128_t128; do
    opt=(); [ $cfg = auto ] || opt=(--config $cfg)
    echo "## sm90 M=72-120 $cfg"; s --backend sm90 --shapes 8192x4096,6144x8192 --ms "$(seq -s, 72 8 120)" "${opt[@]}"
  done
  echo "## sm80 M=136-256"; s --backend sm80 --shapes 8192x4096 --ms "$(seq -s, 136 8 256)"
} > "$OUT/steps.txt"
wc -l "$OUT/steps.txt"
