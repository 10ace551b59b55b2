#!/usr/bin/env bash
# Fifty-first session, call 5: where the producer's 0.45 us between its start and stage 0's issue goes (timestamp
# probe build with a stamp after each step of the first pass), with the wait at the top and late.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
for lw in 0 1; do
  for c in "1 14336 4096" "1 8192 8192" "64 8192 8192"; do
    read -r m n k <<<"$c"
    f="$OUT/steps_lw${lw}_${m}_${n}_${k}.txt"
    W4A16_PROBE_LATEWAIT=$lw build-carry/w4a16 bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 20 >"$f" 2>&1
    echo "latewait $lw: $(grep -E '^sm90' "$f")"
    python3 bench/results/probes/2026-11-29_s51_ts_steps.py "$f"
  done
done
