#!/usr/bin/env bash
# Thirty-fourth session, call 4: the shifted last token tile (sm90::x_row0: the X box of a problem's
# last, partial token tile ends at row M instead of reaching past it). GPU tests on the new build, then
# the M-step sweep of call 3 (auto) on it, then old (5137409c) against new, 3 interleaved repeats.
set -uo pipefail
scripts/gpu-check.sh tests 2>&1 | tail -25
cp "$OUT/summary.txt" "$OUT/check_summary.txt" 2>/dev/null
B=build-carry/w4a16
timeout 120 $B bench --sweep --backend sm90 --shapes 8192x4096,8192x8192 --ms "$(seq -s, 128 8 256)" --iters 20 2>&1 |
  grep -vE "^\s*$" > "$OUT/msteps_new.txt"
cat > /tmp/cases <<'C'
128 8192 4096
136 8192 4096
160 8192 4096
200 8192 4096
256 8192 4096
160 8192 8192
136 8192 8192
160 4096 14336
160 28672 4096
72 28672 4096
72 6144 8192
72 3072 8192
72 6144 8192 --config coop_r128_t64
1000 8192 8192
C
AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 3 < /tmp/cases | tee "$OUT/ab.txt"
