#!/usr/bin/env bash
# Thirty-fourth session, call 5: the shifted last token tile limited to 128-row tiles whose last token
# tile holds fewer tokens than half its rows (new), against always shifting (shiftall, call 4's build,
# any tile) and against none (old, 5137409c): GPU tests, SASS and sanitizers on new, then 3 interleaved
# repeats. Call 4: shifting won 13-23% where the last tile held 8-32 of 128 tokens (8192x4096 M=136/160,
# 8192^2, 4096x14336 M=160) and the 64-token tile 18% at 6144x8192 M=72 (8 of 64), but lost ~5-13% at
# 8192x4096 M=200 (72 of 128).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize 2>&1 | tail -22
cp "$OUT/summary.txt" "$OUT/check_summary.txt" 2>/dev/null
cat > /tmp/cases <<'C'
136 8192 4096
160 8192 4096
176 8192 4096
184 8192 4096
200 8192 4096
232 8192 4096
160 8192 8192
200 8192 8192
160 4096 14336
72 6144 8192 --config coop_r128_t64
136 8192 8192 --config coop_r256_t128
300 8192 8192 --config coop_r128_t256
300 8192 8192
C
AB_SIDES="old:old shiftall:shiftall new:new" AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 3 < /tmp/cases | tee "$OUT/ab.txt"
