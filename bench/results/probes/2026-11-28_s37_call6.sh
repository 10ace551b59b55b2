#!/usr/bin/env bash
# Thirty-seventh session, call 6: call 5 put the 64-token pair plans' slowdown at version 124 (the shifted last
# token tile: 6144x4096 M=64 10.02 -> 10.49 us, 4096^2 M=128 10.26 -> 10.62, 8192^2 M=64 17.45 -> 18.32, where no
# tile shifts). The build here (.carry/build.tar.xz) compiles the shift out of tiles of <= 64 tokens (their code
# as version 123's); against version 129 (.carry/old.tar.xz) at those points, at t64 points that shift in version
# 129 (M = 72-80) and controls, 3 interleaved repeats, after the GPU suites.
set -uo pipefail
scripts/gpu-check.sh tests >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="old:old new:new" AB_RAW="$OUT/ab_raw_noshift64.txt" timeout 240 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s37_call6_cases.txt | tee "$OUT/ab_noshift64.txt"
