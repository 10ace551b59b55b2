#!/usr/bin/env bash
# Thirty-seventh session, call 7: version 130 (.carry/build.tar.xz: the 64-token tile's pair instance also without the
# shift, for the pair plans whose last tile does not shift) against version 129 (.carry/old.tar.xz), after the GPU
# suites; 3 interleaved repeats. The last call of the session's device time.
set -uo pipefail
scripts/gpu-check.sh tests >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="old:old new:new" AB_RAW="$OUT/ab_raw_v130.txt" timeout 150 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s37_call7_cases.txt | tee "$OUT/ab_v130.txt"
