#!/usr/bin/env bash
# Fortieth session, call 2: power and energy per product, ours against cuBLAS, on the points whose misses
# PERFORMANCE.md ascribes to the power cap (M >= 1024, M = 256), one mid-M point and one decode point.
# Until now only the SM clock after each timing was read (the MHz columns); this samples the board's power
# with nvidia-smi every ~10 ms while `w4a16 bench` runs one problem with enough iterations that each side's
# timing lasts ~1.5-3 s, separated by --settle 1500 ms idle gaps. 2026-11-29_s40_energy.py (build machine)
# cuts the trace into the bursts and reports each side's power, clock and energy per product.
# Needs .carry/build.tar.xz (the submitted build).
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
B=build-carry/w4a16
nvidia-smi --query-gpu=name,driver_version,power.limit,enforced.power.limit,power.max_limit,clocks.max.sm \
  --format=csv | tee "$OUT/energy_card.txt"
F=timestamp,power.draw.instant,power.draw.average,clocks.sm,temperature.gpu
nvidia-smi --query-gpu=$F --format=csv,noheader,nounits -c 1 >/dev/null 2>&1 || F=timestamp,power.draw,power.draw,clocks.sm,temperature.gpu
echo "fields: $F" | tee -a "$OUT/energy_card.txt"
nvidia-smi --query-gpu=$F --format=csv,noheader,nounits -lms 10 >"$OUT/energy_trace.csv" 2>"$OUT/energy_smi.err" &
SMI=$!
sleep 2
# M N K iters [options]: iters so that each side's timed replays last ~1.5-3 s (graphs of max(8, rotation) calls)
while read -r m n k it opts; do
  [ -z "$m" ] && continue
  echo "=== $m $n $k $opts  start $(date +%s.%N)" >>"$OUT/energy_bench.txt"
  $B bench -m "$m" -n "$n" -k "$k" --iters "$it" --warmup 10 --settle 1500 --seed 7 $opts >>"$OUT/energy_bench.txt" 2>&1
  echo "=== end $(date +%s.%N)" >>"$OUT/energy_bench.txt"
  sleep 1.5
done <<'CASES'
4096 6144 4096 800
1024 6144 4096 2500
4096 8192 8192 400
1024 28672 4096 600
256 8192 8192 5000
256 6144 4096 8000
64 8192 8192 12000
1 57344 8192 2500
256 6144 4096 8000 --dtype bf16
1024 6144 4096 2500 --dtype bf16
CASES
sleep 1
kill $SMI
wc -l "$OUT/energy_trace.csv"
grep -E "^sm90|^===|cuBLAS|ceil" "$OUT/energy_bench.txt" | head -60
