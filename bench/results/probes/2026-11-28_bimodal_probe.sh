#!/usr/bin/env bash
# bimodal_probe.sh -- is the bimodality of some sm90 points (8192^2 M=256: 50 or 56 us per process)
# the clock, the data, or the process? Runs `w4a16 bench` RUNS times per case in separate processes,
# alternating a fixed seed with random ones, while nvidia-smi logs the SM clock, power and throttle
# reasons every 20 ms; writes each run's time and time window (bimodal_runs.txt) and the clock log
# (bimodal_clocks.csv) under $OUT, to be read side by side.
#   bench/results/probes/2026-11-28_bimodal_probe.sh RUNS "M N K [opts]"...
set -uo pipefail
RUNS=$1; shift
BIN=${BIN:-build-carry/w4a16}
[ -x "$BIN" ] || tar -xJf .carry/build.tar.xz
LOGC=${OUT:-/tmp}/bimodal_clocks.csv
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu,clocks_event_reasons.active \
  --format=csv,noheader -lms 20 >"$LOGC" 2>/dev/null &
SMI=$!
sleep 1
for c in "$@"; do
  read -r m n k opts <<<"$c"
  for ((r = 0; r < RUNS; ++r)); do
    seed=$([ $((r % 2)) = 0 ] && echo 12345 || echo $((RANDOM * 7 + r)))
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    out=$("$BIN" bench -m "$m" -n "$n" -k "$k" $opts --seed "$seed" --warmup 5 --iters 50 2>&1)
    t1=$(date +%s.%N)
    us=$(awk -v m="$m" -v n="$n" -v k="$k" '$3 == m && $4 == n && $5 == k {print $6; exit}' <<<"$out")
    cub=$(awk -v m="$m" -v n="$n" -v k="$k" '$3 == m && $4 == n && $5 == k {print $7; exit}' <<<"$out")
    echo "RUN $c | seed $seed | ours $us | cublas $cub | $t0 $t1" | tee -a "${OUT:-/tmp}/bimodal_runs.txt"
  done
done
kill $SMI
