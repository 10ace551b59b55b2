#!/usr/bin/env bash
# Fifty-first session, call 4: the producer's main thread waits for the previous grid (griddepcontrol.wait) right
# before its first TMA load, after its ring, first unit and first barrier's arming, instead of at the top with
# every thread (W4A16_PROBE_LATEWAIT=1, on the timestamp probe build: 2026-11-29_s51_timestamps.patch). Call 3's
# stamps put the first stage's issue 0.45 us after the producer starts, and its data 0.42-0.58 us after that.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
for lw in 0 1; do
  for c in "1 14336 4096" "1 8192 8192"; do
    read -r m n k <<<"$c"
    f="$OUT/ts_lw${lw}_${m}_${n}_${k}.txt"
    W4A16_PROBE_LATEWAIT=$lw build-carry/w4a16 bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 20 >"$f" 2>&1
    echo "latewait $lw: $(grep -E '^sm90' "$f")"
    python3 bench/results/probes/2026-11-29_s51_ts_summary.py "$f" | tail -2
  done
done
AB_SIDES="base:new late:new:W4A16_PROBE_LATEWAIT=1" AB_RAW="$OUT/latewait_raw.txt" scripts/ab.sh 3 <<'CASES' | tee "$OUT/latewait_ab.txt"
1 14336 4096
1 8192 8192
1 4096 14336
1 28672 4096
16 8192 8192
64 8192 8192
1 57344 8192
CASES
