#!/usr/bin/env bash
# PREPARED in the thirty-fifth session, NOT YET RUN: four probe rows appended to the sm90 table (patch
# probes/2026-11-28_s35_tiles_probe.patch on 1a74390; never picked, forced through tuning caches):
#   coop_r128_t128_k128 (128 tokens, k-blocks of 128 like the 64- and 96-token tiles, 5 stages): does the
#     128-token tile, picked at M = 97-256 and the M = 128 target's tile, gain from half the barrier rounds?
#   coop_r128_t96_k64 (96 tokens, k-blocks of 64, 8 stages): the other k-block width for version 126's tile;
#   coop_r128_t160, coop_r128_t224 (k-blocks of 64): M = 129-160 against the 192-token tile, M = 193-224
#     against the 128-token pair of tiles / the 256-token tile (v64: M = 200 0.89-1.10x).
# Carry: .carry/tiles.tar.xz, a copy of /work/carry-archive/s35_tiles_probe.tar.xz (build-carry/{w4a16,
# tests/test_sm90_w4a16,SOURCE_ID}). Tests of the new rows first, then each case's pick ('pick') against the
# rows forced, interleaved, 3 repeats. About 6 minutes.
set -uo pipefail
mkdir -p /tmp/ab-tiles && tar -xJf .carry/tiles.tar.xz -C /tmp/ab-tiles
T=/tmp/ab-tiles/build-carry
timeout 150 $T/tests/test_sm90_w4a16 --gtest_filter='Family.EveryConfiguration:Sm90.ShiftedLastTokenTile' 2>&1 | tail -4 |
  tee "$OUT/tiles_tests.txt"
dev=$($T/w4a16 info | sed -n 's/^device 0: //p')
cache() {  # cache FILE CONFIG CASE...
  local f=$1 c=$2; shift 2
  { printf 'w4a16-tune 1\n'; for x in "$@"; do read -r m n k <<<"$x"; printf '%s\tsm90\tfp16\t128\t0\t%s\t%s\t%s\t%s\t0\n' "$dev" "$m" "$n" "$k" "$c"; done; } >"$f"
}
A=("112 8192 8192" "128 8192 8192" "128 8192 4096" "128 6144 4096" "128 4096 14336" "128 10240 8192" "128 57344 8192"
   "128 8192 28672" "256 8192 8192" "256 4096 14336" "256 28672 4096")
B=("72 8192 4096" "72 8192 8192" "96 8192 8192" "96 4096 14336" "80 57344 8192")
C=("136 8192 8192" "160 8192 8192" "160 28672 4096" "160 4096 14336" "320 8192 8192")
D=("200 8192 8192" "224 8192 8192" "200 28672 4096" "208 4096 14336" "200 6144 4096")
cache /tmp/t128.tsv coop_r128_t128 "${A[@]}"; cache /tmp/k128.tsv coop_r128_t128_k128 "${A[@]}"
cache /tmp/k64.tsv coop_r128_t96_k64 "${B[@]}"; cache /tmp/t160.tsv coop_r128_t160 "${C[@]}"; cache /tmp/t224.tsv coop_r128_t224 "${D[@]}"
printf '%s\n' "${A[@]}" | AB_SIDES="pick:tiles t128:tiles:W4A16_TUNE_CACHE=/tmp/t128.tsv k128:tiles:W4A16_TUNE_CACHE=/tmp/k128.tsv" \
  AB_RAW="$OUT/ab_raw_a.txt" timeout 200 scripts/ab.sh 3 | tee "$OUT/ab_a.txt"
printf '%s\n' "${B[@]}" | AB_SIDES="pick:tiles k64:tiles:W4A16_TUNE_CACHE=/tmp/k64.tsv" AB_RAW="$OUT/ab_raw_b.txt" \
  timeout 80 scripts/ab.sh 3 | tee "$OUT/ab_b.txt"
printf '%s\n' "${C[@]}" | AB_SIDES="pick:tiles t160:tiles:W4A16_TUNE_CACHE=/tmp/t160.tsv" AB_RAW="$OUT/ab_raw_c.txt" \
  timeout 80 scripts/ab.sh 3 | tee "$OUT/ab_c.txt"
printf '%s\n' "${D[@]}" | AB_SIDES="pick:tiles t224:tiles:W4A16_TUNE_CACHE=/tmp/t224.tsv" AB_RAW="$OUT/ab_raw_d.txt" \
  timeout 80 scripts/ab.sh 3 | tee "$OUT/ab_d.txt"
