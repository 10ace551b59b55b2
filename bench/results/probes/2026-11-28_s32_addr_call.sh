#!/usr/bin/env bash
# Thirty-second session probe "addr": the lean sm80 tiles' per-thread shared-memory offsets (W LDS, scale pairs,
# ldmatrix rows) made once before the k-block loop and pinned, against version 116 (new). check, ncu, A/B.
set -uo pipefail
tar -xJf .carry/build.tar.xz
mkdir -p /tmp/ab-addr && tar -xJf .carry/addr.tar.xz -C /tmp/ab-addr
/tmp/ab-addr/build-carry/w4a16 check --backend sm80 --quick >"$OUT/check_addr.txt" 2>&1; echo "check addr rc=$?"; tail -1 "$OUT/check_addr.txt"
M=gpu__time_duration.sum,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active
for b in new addr; do bin=build-carry/w4a16; [ $b != new ] && bin=/tmp/ab-$b/build-carry/w4a16
  for c in "8 57344 8192 r128_t8" "16 57344 8192 r128_t16"; do read -r m n k cfg <<<"$c"; echo "## $b $c"
    ncu --kernel-name regex:sm80_w4a16 --launch-skip 2 --launch-count 1 --metrics $M $bin bench -m $m -n $n -k $k \
      --backend sm80 --config $cfg --warmup 1 --iters 1 2>&1 | grep -E "^\s+(gpu__|smsp__)"; done
done >"$OUT/ncu_addr.txt" 2>&1
head -14 bench/results/probes/2026-11-28_s32_lean_loader_cases.txt >/tmp/cases
AB_SIDES="new:new addr:addr" AB_RAW=$OUT/ab_raw.txt scripts/ab.sh 3 </tmp/cases >"$OUT/ab_addr.txt" 2>&1
cat "$OUT/ncu_addr.txt" "$OUT/ab_addr.txt"
