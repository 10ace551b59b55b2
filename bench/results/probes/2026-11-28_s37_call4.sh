#!/usr/bin/env bash
# Thirty-seventh session, call 4: v67's sweep read the sm90 M = 64 points 5-7% slower than v51's (version 113,
# e2753e3c, thirtieth session) with the same kernel (coop_r128_t64) and clock; across calls, so this times v51's build
# (.carry/v51.tar.xz) against version 129 (.carry/build.tar.xz) in one call, 5 interleaved repeats.
set -uo pipefail
AB_SIDES="v51:v51 new:new" AB_RAW="$OUT/ab_raw_v51.txt" timeout 400 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-28_s37_call4_cases.txt | tee "$OUT/ab_v51.txt"
