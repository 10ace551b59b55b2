#!/usr/bin/env bash
# Fifty-first session, call 3: what the first data waits for after the PDL wait. Probe build (the timestamp patch
# 2026-11-29_s51_timestamps.patch, which also adds W4A16_PROBE_PREWAIT=P: the first unit's first P stages' W and
# scale boxes loaded into shared memory BEFORE griddepcontrol.wait, X after it; symmetric tiles whose scales come
# from thread 0 only). Not a safe change (weights read before the previous grid's writes are guaranteed
# visible): a measurement of what the wait-to-first-data time would give back.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
for pw in 0 4 8; do
  for c in "1 14336 4096" "1 8192 8192"; do
    read -r m n k <<<"$c"
    f="$OUT/ts_pw${pw}_${m}_${n}_${k}.txt"
    W4A16_PROBE_PREWAIT=$pw build-carry/w4a16 bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 20 >"$f" 2>&1
    echo "prewait $pw: $(grep -E '^sm90' "$f")"
    python3 bench/results/probes/2026-11-29_s51_ts_summary.py "$f" | tail -3
  done
done
AB_SIDES="base:new pw4:new:W4A16_PROBE_PREWAIT=4 pw8:new:W4A16_PROBE_PREWAIT=8" AB_RAW="$OUT/prewait_raw.txt" \
  scripts/ab.sh 3 <<'CASES' | tee "$OUT/prewait_ab.txt"
1 14336 4096
1 8192 8192
1 4096 14336
1 28672 4096
1 57344 8192
CASES
