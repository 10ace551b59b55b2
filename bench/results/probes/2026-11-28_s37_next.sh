#!/usr/bin/env bash
# PREPARED in the thirty-seventh session, NOT YET RUN (about 5 minutes). Carry .carry/build.tar.xz = version 130 as
# submitted (/work/carry-archive/final_c0da3880d3b3aed4.tar.xz) and .carry/ns.tar.xz = the probe build
# /work/carry-archive/s37_noshift_small.tar.xz (patch 2026-11-28_s37_noshift_small.patch on 9e7c730, version 130: the 8-,
# 16- and 32-token tiles launched without the last-tile shift, built as `w4a16` only).
#  1. what version 130 has not had: the sanitizers and the SASS check (gpu-check tests sass sanitize);
#  2. the SASS of the 64-token pair instances with and without the shift, side by side (why the unused shift cost
#     them 4-5%: 2026-11-28_s37_sass_shift.sh);
#  3. the small tiles without the shift against version 130 at the decode points and two t32 points, 3 interleaved
#     repeats (call 6 of the thirty-seventh session read t16 13.00 -> 12.76 us at 8192^2 M=16, t32 8.43 -> 8.35 at
#     4096^2 M=64). M=40 4096^2 is a t32 plan that shifts: expect it slower without the shift. If the decode points
#     gain, version 131 = the same two forms as the 64-token pairs (the shift form only where the last tile shifts).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
bash bench/results/probes/2026-11-28_s37_sass_shift.sh build-carry >"$OUT/sass_shift.txt" 2>&1
AB_SIDES="v130:new ns:ns" AB_RAW="$OUT/ab_raw_ns.txt" timeout 200 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s37_next_cases.txt | tee "$OUT/ab_ns.txt"
