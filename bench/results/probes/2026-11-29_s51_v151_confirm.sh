#!/usr/bin/env bash
# Fifty-first session, call 7: version 151 against 149 again (7 interleaved repeats) on the points call 6 read
# slower or spread (the cluster pairs, M = 64 and 256), then the sanitizers and the SASS check on 151.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
AB_RAW="$OUT/v151c_raw.txt" scripts/ab.sh 7 <<'CASES' | tee "$OUT/v151c_ab.txt"
1 8192 8192
1 8192 8192 --dtype bf16
16 8192 8192
1 6144 4096
1 4096 14336
4 4096 4096
64 8192 8192
256 6144 4096
256 4096 4096
256 8192 8192
CASES
scripts/gpu-check.sh sanitize sass 2>&1 | tail -12
