#!/usr/bin/env bash
# Thirty-second session, probe pin64 (the pinned shared-memory offsets in the one-column 64-token sm80 tiles too) as a
# whole build: the suites, SASS and sanitizers on it, then against the submitted build (old) on the tiles it touches.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
cat >/tmp/c <<'C'
64 8192 8192 --backend sm80
64 4096 14336 --backend sm80
64 28672 4096 --backend sm80
128 8192 8192 --backend sm80
16 8192 8192 --backend sm80
C
AB_RAW=$OUT/raw.txt scripts/ab.sh 2 </tmp/c >"$OUT/ab_pin64.txt" 2>&1
cat "$OUT/summary.txt" "$OUT/ab_pin64.txt"
