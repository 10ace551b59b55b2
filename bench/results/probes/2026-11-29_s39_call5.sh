#!/usr/bin/env bash
# Thirty-ninth session, call 5: version 134 as submitted (source c3cb1566, .carry/build.tar.xz: bf16's 16-token tiles
# with the fixed zero-point modes): its suites, SASS and sanitizers; then against version 132 (CLI-only
# .carry/v132.tar.xz, source 397bd9b7) on 7 bf16 M=16 points (2 with zeros) and 2 M=1 controls (the 8-token tile, the
# same kernels in both builds), 3 interleaved repeats.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
echo "check rc=$? at $SECONDS s"
AB_SIDES="v132:v132 v134:new" AB_RAW="$OUT/ab_raw_v134.txt" timeout $((560 - SECONDS)) scripts/ab.sh 3 \
  < bench/results/probes/2026-11-29_s39_v134_cases.txt | tee "$OUT/ab_v134.txt"
cat "$OUT/summary.txt"
