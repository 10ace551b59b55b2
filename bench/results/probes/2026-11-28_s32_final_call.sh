#!/usr/bin/env bash
# Thirty-second session, the submitted source on the GPU: suites, SASS and sanitizers (scripts/gpu-check.sh), the sm80
# decode sweep at M = 1, 2, 4, 16, 32, and the submitted build against the thirty-first session's build (old) on six
# decode points and two unchanged tiles as controls (M = 64, 1024; added for v57).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
B=build-carry/w4a16
$B bench --sweep --backend sm80 --ms 1,2,4,16,32 --warmup 3 --iters 15 --json "$OUT/sm80_fp16_decode.json" >"$OUT/sm80_decode.txt" 2>&1
cat >/tmp/cases <<'C'
1 57344 8192 --backend sm80
16 8192 8192 --backend sm80
16 28672 4096 --backend sm80
16 4096 14336 --backend sm80
32 8192 8192 --backend sm80
16 8192 8192 --backend sm80 --dtype bf16 --zeros
64 8192 8192 --backend sm80
1024 8192 8192 --backend sm80
C
AB_RAW=$OUT/ab_raw.txt scripts/ab.sh 3 </tmp/cases >"$OUT/ab_final.txt" 2>&1
cat "$OUT/summary.txt" "$OUT/ab_final.txt"
