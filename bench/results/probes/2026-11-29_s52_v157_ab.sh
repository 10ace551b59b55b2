#!/usr/bin/env bash
# Fifty-second session, call 5: version 157 as adopted (eight accumulator chains for the one-CTA 8-token tile's fp16 whole-group instances only)
# against version 151 (.carry/old.tar.xz), interleaved; after scripts/gpu-check.sh tests sanitize sass.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
f="$OUT/v157_ab.txt"
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.max.mem --format=csv | tee "$f"
AB_RAW="$OUT/v157_raw.txt" scripts/ab.sh 5 <<'CASES' | tee -a "$f"
1 8192 8192
1 14336 4096
1 28672 4096
1 57344 8192
1 6144 4096
4 8192 8192
8 4096 14336
1 8192 8192 --dtype bf16
8 28672 4096 --dtype bf16
1 8192 8192 --zeros
1 8192 8192 --group 32
16 8192 8192
CASES
