#!/usr/bin/env bash
# Thirty-third session, call 2: the GPU suites, SASS check and sanitizers on the build with versions 119-122
# (pin4, gemvp, bf16 128-token tile in the subnormal form, the sm80 M = 3-4 rule), then that build against the
# submitted one (old = 421487cd) on the points it changes, and a variant (subbx: the subnormal form also in bf16's
# coop_r256_t128 and 256-token tile) against it.
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize
cat >/tmp/c_new <<'C'
128 8192 8192 --backend sm90 --dtype bf16
128 4096 14336 --backend sm90 --dtype bf16
128 10240 8192 --backend sm90 --dtype bf16
128 8192 28672 --backend sm90 --dtype bf16
128 57344 8192 --backend sm90 --dtype bf16
256 8192 8192 --backend sm90 --dtype bf16
256 4096 14336 --backend sm90 --dtype bf16
256 6144 4096 --backend sm90 --dtype bf16
256 10240 8192 --backend sm90 --dtype bf16
128 8192 8192 --backend sm90 --dtype bf16 --zeros
4 2048 4096 --backend sm80
4 6144 4096 --backend sm80
3 6144 4096 --backend sm80
64 28672 4096 --backend sm80
1 4096 4096 --backend sm80
C
cat >/tmp/c_subbx <<'C'
128 28672 4096 --backend sm90 --dtype bf16
256 28672 4096 --backend sm90 --dtype bf16
1024 8192 8192 --backend sm90 --dtype bf16
1024 4096 4096 --backend sm90 --dtype bf16
1024 28672 4096 --backend sm90 --dtype bf16
4096 8192 8192 --backend sm90 --dtype bf16
C
t0=$SECONDS
AB_SIDES="old:old new:new" AB_RAW=$OUT/raw_new.txt scripts/ab.sh 4 </tmp/c_new >"$OUT/ab_new.txt" 2>&1
echo "new done $((SECONDS - t0)) s"
AB_SIDES="new:new subbx:subbx" AB_RAW=$OUT/raw_subbx.txt scripts/ab.sh 3 </tmp/c_subbx >"$OUT/ab_subbx.txt" 2>&1
echo "subbx done $((SECONDS - t0)) s"
cat "$OUT/summary.txt" "$OUT"/ab_*.txt
