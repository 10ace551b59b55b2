#!/usr/bin/env bash
# Thirty-seventh session, call 5: call 4 found the 64-token pair plans 4-5% slower in version 129 than in v51's
# build (version 113); bisect: the last build before version 124 (5137409c, .carry/v123.tar.xz), version 124's
# (81b99182, .carry/v124.tar.xz), 4 interleaved repeats (with the 129 build the carry passed 64 MiB).
set -uo pipefail
printf '64 6144 4096\n128 4096 4096\n64 8192 8192\n' | AB_SIDES="v123:v123 v124:v124" AB_RAW="$OUT/ab_raw_bisect.txt" \
  timeout 300 scripts/ab.sh 4 | tee "$OUT/ab_bisect.txt"
