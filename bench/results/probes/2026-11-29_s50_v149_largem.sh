#!/usr/bin/env bash
# Fiftieth session, call 5: version 149 against version 147 at M >= 128, 7 interleaved repeats: call 4 read
# 6144x4096 M=1024 1.6% slower (repeats overlapping: 75.1-77.5 against 76.4-79.6 us), where the 256-token tiles
# read each weight box once per token tile, from L2 after the first. Carry .carry/build.tar.xz and .carry/old.tar.xz.
set -uo pipefail
AB_SIDES="v147:old v149:new" AB_RAW="$OUT/v149_largem_raw.txt" scripts/ab.sh 7 <<'CASES' | tee "$OUT/v149_largem.txt"
1024 6144 4096
1024 8192 8192
1024 10240 8192
2048 4096 4096
4096 6144 4096
128 6144 4096
CASES
