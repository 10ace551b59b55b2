#!/usr/bin/env bash
# Fifty-second session, call 3: eight accumulator chains for the 8- and 16-token tiles (kChains' cap 4 -> 8 in
# Sm90Shape; patch 2026-11-29_s52_chains8.patch on version 151): each k16 step of a 128-wide k-block into its own
# accumulators, so a wgmma group has no dependent pair. old = version 151's CLI build (.carry/old.tar.xz).
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.max.mem --format=csv | tee "$OUT/chains8_ab.txt"
AB_RAW="$OUT/chains8_raw.txt" scripts/ab.sh 5 <<'CASES' | tee -a "$OUT/chains8_ab.txt"
1 14336 4096
1 8192 8192
1 4096 14336
1 57344 8192
1 6144 4096
16 8192 8192
16 28672 4096
1 8192 8192 --dtype bf16
1 8192 8192 --zeros
CASES
