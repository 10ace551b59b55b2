#!/usr/bin/env bash
# Thirty-third session, call 7: the submitted source (version 123 limited to K >= 4096) -- GPU suites, SASS check,
# sanitizers; one bench each of a point the rule moves and one it leaves (the kernel column shows the pick).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
for c in "128 6144 4096" "128 6144 2048"; do
  read -r m n k <<<"$c"
  build-carry/w4a16 bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 30 2>&1 | grep -E "^backend|^sm90" | tee -a "$OUT/picks.txt"
done
cat "$OUT/summary.txt"
