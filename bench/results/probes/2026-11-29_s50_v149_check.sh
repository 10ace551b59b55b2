#!/usr/bin/env bash
# Fiftieth session, call 4: version 149 (the packed codes' tensor map without L2 promotion) on the device: the GPU
# suites and the SASS check (scripts/gpu-check.sh tests sass), then 5 interleaved repeats against version 147's
# build (.carry/old.tar.xz, source 0ef508a2). Run from the repository root with .carry/build.tar.xz and
# .carry/old.tar.xz carried.
set -uo pipefail
scripts/gpu-check.sh tests sass
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="v147:old v149:new" AB_RAW="$OUT/v149_ab_raw.txt" scripts/ab.sh 5 <<'CASES' | tee "$OUT/v149_ab.txt"
1 8192 8192
1 57344 8192
1 28672 4096
1 4096 14336
16 8192 8192
16 28672 4096 --zeros
1 8192 8192 --dtype bf16
64 8192 8192
256 6144 4096
1024 6144 4096
CASES
