set -uo pipefail
tar -xJf .carry/build.tar.xz
mkdir -p /tmp/ab-lean && tar -xJf .carry/lean.tar.xz -C /tmp/ab-lean
for b in lean; do /tmp/ab-$b/build-carry/w4a16 check --backend sm80 --quick > $OUT/check_$b.txt 2>&1; echo "check $b rc=$?"; tail -2 $OUT/check_$b.txt; done
M=gpu__time_duration.sum,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active
for b in new lean; do bin=build-carry/w4a16; [ $b != new ] && bin=/tmp/ab-$b/build-carry/w4a16
  for c in "8 57344 8192 r128_t8" "16 57344 8192 r128_t16"; do read -r m n k cfg <<<"$c"; echo "## $b $c"
    ncu --kernel-name regex:sm80_w4a16 --launch-skip 2 --launch-count 1 --metrics $M $bin bench -m $m -n $n -k $k --backend sm80 --config $cfg --warmup 1 --iters 1 2>&1 | grep -E "^\s+(gpu__|smsp__)"; done
done > $OUT/ncu_lean.txt 2>&1
AB_SIDES="base:new lean:lean waitonly:waitonly loaderonly:loaderonly" AB_RAW=$OUT/ab_raw.txt scripts/ab.sh 3 < bench/results/probes/2026-11-28_s32_lean_loader_cases.txt > $OUT/ab_lean.txt 2>&1
cat $OUT/ab_lean.txt
