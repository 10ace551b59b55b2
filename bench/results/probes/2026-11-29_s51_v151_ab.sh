#!/usr/bin/env bash
# Fifty-first session, call 6: version 151 (the PDL wait per thread, the producer's right before its first TMA
# load) against version 149 (.carry/old.tar.xz, source c458fa3a), interleaved, then the GPU suites on 151.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
AB_RAW="$OUT/v151_raw.txt" scripts/ab.sh 5 <<'CASES' | tee "$OUT/v151_ab.txt"
1 8192 8192
1 14336 4096
1 4096 14336
1 28672 4096
1 57344 8192
16 8192 8192
16 28672 4096
1 8192 8192 --zeros
1 8192 8192 --dtype bf16
4 4096 4096
1 6144 4096
64 8192 8192
128 8192 8192
256 6144 4096
1024 6144 4096
CASES
scripts/gpu-check.sh tests 2>&1 | tail -25
