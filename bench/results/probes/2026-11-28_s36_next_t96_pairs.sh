#!/usr/bin/env bash
# PREPARED in the thirty-sixth session, NOT YET RUN: the 96-token tile's cluster pairs at K = 2048-3072, which the
# thirty-sixth session's grid read 6-9% faster than the pick (5120x2048 M=72 t96 pair 8.36 us against whole t64 tiles
# 9.16; 8192x2048 M=96 9.19 against 9.78) but which sm90_pick keeps out (slice guard: 1024 of K a slice < 1152; before
# version 128 the 3% margin). The slice evidence behind the guard comes from workspace splits; a pair reduces through
# distributed shared memory. Forced through a tuning cache (the submitted build, .carry/build.tar.xz: forcing
# coop_r128_t96 keeps its model split, 2 = pairs on these shapes, 3-4 = workspace splits on the controls), against the
# pick, 3 interleaved repeats, ~2 minutes. If the pairs win, exempt cluster pairs from kNewTileMinSplitSliceK (and
# time the margin's part).
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
dev=$(build-carry/w4a16 info | sed -n 's/^device 0: //p')
C=("72 5120 2048" "80 5120 2048" "96 5120 2048" "72 8192 2048" "96 8192 2048" "72 6144 2048" "96 6144 2048"
   "72 4096 2048" "72 5120 3072")
{ printf 'w4a16-tune 1\n'; for x in "${C[@]}"; do read -r m n k <<<"$x"; printf '%s\tsm90\tfp16\t128\t0\t%s\t%s\t%s\tcoop_r128_t96\t0\n' "$dev" "$m" "$n" "$k"; done; } >/tmp/t96.tsv
printf '%s\n' "${C[@]}" | AB_SIDES="pick:new t96:new:W4A16_TUNE_CACHE=/tmp/t96.tsv" AB_RAW="$OUT/ab_raw_t96.txt" \
  timeout 200 scripts/ab.sh 3 | tee "$OUT/ab_t96.txt"
