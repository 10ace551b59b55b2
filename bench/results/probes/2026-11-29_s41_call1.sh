#!/usr/bin/env bash
# Forty-first session, call 1. 1. The submitted source (e8b17bcd: the fortieth session's final-read host refactor, which
# ran on no GPU) through gpu-check tests sanitize sass. 2. Ours against cuBLAS in one run on the shapes whose plans take
# the stream-K quads (none existed: the fortieth session timed ours against ours). 3. Candidate q90 (.carry/q90.tar.xz:
# the quads' rule admits up to 120 CTAs, 73-90 tiles, instead of 3/4 of the SMs) against its own W4A16_QUADS=0, 4
# interleaved repeats, on plans the wider rule moves (listing in the forty-first session) plus two controls.
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "stream-K quads\|pair instances without" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
for dt in fp16 bf16; do
  timeout 100 build-carry/w4a16 bench --sweep --dtype $dt --shapes 3072x3072,3072x4096,4608x4096,9216x4096 \
    --ms 128,192,256,320,384 --cooldown 500 --json "$OUT/quadshapes_$dt.json" >"$OUT/quadshapes_$dt.txt" 2>&1
  tail -40 "$OUT/quadshapes_$dt.txt"
done
AB_SIDES="q90:q90 whole:q90:W4A16_QUADS=0" AB_RAW="$OUT/ab_raw_q90.txt" \
  timeout 240 scripts/ab.sh 4 < bench/results/probes/2026-11-29_s41_q90_cases.txt | tee "$OUT/ab_q90.txt"
