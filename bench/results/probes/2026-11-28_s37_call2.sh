#!/usr/bin/env bash
# Thirty-seventh session, call 2: version 129 (the 96-token pair rule) as built here (.carry/build.tar.xz):
# suites, SASS and the sanitizers (with the thirty-sixth session's two split cases, not run before), then its
# moved picks against the submitted e99db033 (.carry/old.tar.xz), 3 interleaved repeats.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="old:old new:new" AB_RAW="$OUT/ab_raw_v129.txt" timeout 240 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s37_v129_cases.txt | tee "$OUT/ab_v129.txt"
