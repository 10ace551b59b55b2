#!/usr/bin/env bash
# Fifty-first session, call 2: per-CTA timestamps of eight consecutive graph-replayed launches (probe build,
# 2026-11-29_s51_timestamps.patch: %globaltimer at entry, wait release, first full stage, mainloop end, epilogue
# end), on decode plans of each kind: whole tiles (14336x4096, 112 CTAs; 28672x4096, 224 tiles on 132),
# pairs (8192^2 M=1 and 16), the 4-way workspace split (4096x14336), stream-K (57344x8192).
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
for c in "1 14336 4096" "1 8192 8192" "1 4096 14336" "1 57344 8192" "16 8192 8192" "1 28672 4096"; do
  read -r m n k <<<"$c"
  f="$OUT/ts_${m}_${n}_${k}.txt"
  build-carry/w4a16 bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 20 >"$f" 2>&1
  grep -E "^sm90" "$f"
  python3 bench/results/probes/2026-11-29_s51_ts_summary.py "$f"
done
