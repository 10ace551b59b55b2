#!/usr/bin/env bash
# Forty-eighth session. RUN ONCE (call 5) on the FIRST form of the candidate, which HUNG test_sm90_w4a16 and ate
# the session's last device time (the suite's timeout was 420 s; now 120 s): in the pair instances (PAIRS)
# cluster_reduce leaves only one consumer warpgroup per CTA to write a split tile, and the first form's epilogue
# waited on a 256-thread barrier. The patch now in bench/results/probes/2026-11-29_s48_cta_epilogue.patch
# (source id 50b2a78720a5c1d2) gives PAIRS the per-warpgroup form; compiled here (no spills, registers of all
# sm90 entries unchanged), NOT RUN on a GPU. The forty-eighth session left .carry/build.tar.xz = the candidate
# (50b2a787), .carry/nostore.tar.xz (b9e6260e) and .carry/v147.tar.xz (4558a746): if they are still there, only
# `git apply bench/results/probes/2026-11-29_s48_cta_epilogue.patch` is needed. Otherwise, on the build machine:
#   git apply bench/results/probes/2026-11-29_s48_nostore_probe.patch && scripts/build-carry.sh   (source b9e6260e)
#   keep its CLI: mkdir -p /tmp/x && tar -xJf .carry/build.tar.xz -C /tmp/x build-carry/SOURCE_ID build-carry/w4a16 &&
#     tar -cJf .carry/nostore.tar.xz -C /tmp/x build-carry && git checkout src
#   the same for the submitted source as .carry/v147.tar.xz (source 4558a746, version 147)
#   git apply bench/results/probes/2026-11-29_s48_cta_epilogue.patch && scripts/build-carry.sh   (source 50b2a787)
# Device call (carry [".carry/build.tar.xz", ".carry/v147.tar.xz", ".carry/nostore.tar.xz"]), about 6 minutes:
#   bash bench/results/probes/2026-11-29_s48_ctaepi.sh
# Two questions at once:
#  - how much time any epilogue change could win: "nostore" is version 147 with its Y stores switched off (a
#    run-time-false guard; Y stays NaN, so it is timed with --time-unverified and fails verification by design);
#  - the candidate (build.tar.xz): the epilogue buffer shared by the warps that write a tile's rows together,
#    [token][8 slices of 16 rows] in coop ([token][4 slices] per warpgroup in ping-pong and the pair instances),
#    named barriers instead of __syncwarp, so each token's rows leave as whole 128-byte lines instead of 32-byte
#    sectors from 8 warps at different times.
# "old" = version 147. The candidate's GPU suites first (a hang now costs at most 120 s), stop if they fail.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
scripts/gpu-check.sh tests
cp "$OUT/summary.txt" "$OUT/summary_ctaepi_check.txt"
if grep -qE "rc=[1-9]" "$OUT/summary_ctaepi_check.txt"; then echo "candidate failed its suites: no timing"; exit 1; fi
AB_SIDES="old:v147 nostore:nostore cand:new" AB_RAW="$OUT/ab_raw_ctaepi.txt" timeout 240 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s48_ctaepi_cases.txt > "$OUT/ab_ctaepi_full.txt"
echo "verification failures: old $(grep -c 'VERIFY FAILED (old)' "$OUT/ab_ctaepi_full.txt")," \
  "cand $(grep -c 'VERIFY FAILED (cand)' "$OUT/ab_ctaepi_full.txt"), nostore (expected) $(grep -c 'VERIFY FAILED (nostore)' "$OUT/ab_ctaepi_full.txt")" |
  tee "$OUT/ab_ctaepi.txt"
grep -v "VERIFY" "$OUT/ab_ctaepi_full.txt" | tee -a "$OUT/ab_ctaepi.txt"
# If the candidate gains: scripts/gpu-check.sh sanitize sass (synccheck covers the named barriers), then adopt.
