#!/usr/bin/env bash
# PREPARED in the thirty-fourth session, NOT YET RUN: a 192-token cooperative tile (probe patch
# probes/2026-11-28_s34_t192.patch: wgmma m64n192k16 wrappers and `coop_r128_t192` = {Coop, mb 1, tn 192, kb 64,
# 6 stages}, table index 13, never picked; ptxas here: 6 instances, no spill, no C75xx) for token counts the
# 128/256-token tiles pad the most (v63: 0.76-0.93x of cuBLAS at M = 160). Carry: .carry/t192.tar.xz (a copy of
# /work/carry-archive/s34_t192.tar.xz, built from the patch on 25baa32 (the review-fixed test); holds w4a16 and test_sm90) next to
# the current .carry/build.tar.xz. Rebuild if the kernels changed since: git apply the patch, cmake + ninja into
# another directory, pack build-carry/{w4a16,tests/test_sm90_w4a16,SOURCE_ID}.
set -uo pipefail
mkdir -p /tmp/ab-t192 && tar -xJf .carry/t192.tar.xz -C /tmp/ab-t192
T=/tmp/ab-t192/build-carry
timeout 200 $T/tests/test_sm90_w4a16 --gtest_filter='Family.EveryConfiguration:Sm90.ShiftedLastTokenTile' 2>&1 | tail -4 |
  tee "$OUT/t192_tests.txt"
# The t192 build's own pick (the table's other rows and the heuristic are as in new) against t192 forced through a
# tuning cache, interleaved.
dev=$($T/w4a16 info | sed -n 's/^device 0: //p')
{ printf 'w4a16-tune 1\n'
  for c in "136 8192 4096" "160 8192 4096" "176 8192 4096" "192 8192 4096" "160 8192 8192" "192 8192 8192" \
           "160 4096 14336" "160 10240 8192" "160 28672 4096" "320 8192 8192" "320 4096 14336"; do
    read -r m n k <<<"$c"; printf '%s\tsm90\tfp16\t128\t0\t%s\t%s\t%s\tcoop_r128_t192\t0\n' "$dev" "$m" "$n" "$k"
  done; } > /tmp/t192.tsv
printf '%s\n' "136 8192 4096" "160 8192 4096" "176 8192 4096" "192 8192 4096" "160 8192 8192" "192 8192 8192" \
  "160 4096 14336" "160 10240 8192" "160 28672 4096" "320 8192 8192" "320 4096 14336" |
  AB_SIDES="pick:t192 t192:t192:W4A16_TUNE_CACHE=/tmp/t192.tsv" AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 3 | tee "$OUT/ab.txt"
