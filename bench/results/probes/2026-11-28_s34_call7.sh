#!/usr/bin/env bash
# Thirty-fourth session, call 7: controls only. Calls 4-6 read 8192x4096 M = 232 / 256 (whose tiles never
# shift) 3-7% slower on the new build and 8192^2 M = 200 / 256 3-6% faster, 3 repeats each; 8 interleaved
# repeats here of old (5137409c) and new (229f5cd9).
set -uo pipefail
printf '256 8192 4096\n232 8192 4096\n128 8192 4096\n256 8192 8192\n' |
  AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 8 | tee "$OUT/ab.txt"
