#!/usr/bin/env bash
# Thirty-fourth session, call 6: the submitted form of the shifted last token tile (new: 128-row tiles,
# last token tile under half full, the epilogue's token bounds in one unsigned compare): GPU tests, SASS,
# sanitizers; old (5137409c) against new, 3 interleaved repeats, with the tiles that never shift as
# controls; then a sweep at token counts that are not multiples of 64 (ours and cuBLAS, same run).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize 2>&1 | tail -3
cp "$OUT/summary.txt" "$OUT/check_summary.txt" 2>/dev/null
cat > /tmp/cases <<'C'
136 8192 4096
160 8192 4096
200 8192 4096
232 8192 4096
256 8192 4096
160 8192 8192
200 8192 8192
256 8192 8192
72 6144 8192 --config coop_r128_t64
300 8192 8192 --config coop_r128_t256
160 8192 4096 --dtype bf16
160 8192 4096 --zeros
96 28672 4096
1000 8192 8192
C
AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 3 < /tmp/cases | tee "$OUT/ab.txt"
timeout 150 build-carry/w4a16 bench --sweep --backend sm90 --ms 72,160,200,300 --json "$OUT/sweep_odd_m.json" 2>&1 |
  grep -vE "^\s*$" > "$OUT/sweep_odd_m.txt"
tail -3 "$OUT/sweep_odd_m.txt"
