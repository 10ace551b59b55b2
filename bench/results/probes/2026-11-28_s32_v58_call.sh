#!/usr/bin/env bash
# Thirty-second session, the submitted source (version 118) on the GPU: suites, SASS, sanitizers and the sm80 decode sweep.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
build-carry/w4a16 bench --sweep --backend sm80 --ms 1,2,4,16 --warmup 3 --iters 15 --json "$OUT/sm80_fp16_decode.json" \
  >"$OUT/sm80_decode.txt" 2>&1
cat "$OUT/summary.txt"; grep -E "^sm80" "$OUT/sm80_decode.txt"
