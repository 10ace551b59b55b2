#!/usr/bin/env bash
# Fifty-second session, call 7: bf16's 8-token tile in the subnormal dequant (sm90::subn_dequant(true, 8); patch
# 2026-11-29_s52_bf16_t8_subn.patch on version 157) against version 157 (.carry/old.tar.xz), interleaved.
# Version 111 read bf16 8192^2 M=1 -1.0% and bf16 M=1 with zeros +1.7% with it; bf16's magic-number form costs 15
# instructions per word against 12.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
AB_ITERS=10 AB_RAW="$OUT/bf16subn_raw.txt" scripts/ab.sh 3 <<'CASES' | tee "$OUT/bf16subn_ab.txt"
1 8192 8192 --dtype bf16
1 28672 4096 --dtype bf16
1 4096 14336 --dtype bf16
4 57344 8192 --dtype bf16
1 8192 8192 --dtype bf16 --zeros
CASES
