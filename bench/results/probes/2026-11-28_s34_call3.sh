#!/usr/bin/env bash
# Thirty-fourth session, call 3: calls 1-2 timed the 128- and 256-token tiles 18-24% slower at M = 160 than
# at M = 192 on the same tiles (8192x4096 coop_r128_t128 split 1: 31.4 / 25.8 us; 8192^2 60.3 / 48.4), while
# coop_r256_t128 was not. Here: M = 128-256 in steps of 8 on two shapes, each configuration forced, with
# cuBLAS in the same run (does it show the same step?), then ncu on M = 160 and 192 of coop_r128_t128.
set -uo pipefail
tar -xJf .carry/build.tar.xz
B=build-carry/w4a16
MS=$(seq -s, 128 8 256)
for cfg in coop_r128_t128 coop_r128_t256 coop_r256_t128 auto; do
  opt="--config $cfg"; [ $cfg = auto ] && opt=""
  echo "## $cfg"
  timeout 150 $B bench --sweep --backend sm90 --shapes 8192x4096,8192x8192 --ms "$MS" $opt --iters 20 2>&1 | grep -vE "^\s*$"
done > "$OUT/msteps.txt" 2>&1
M=gpu__time_duration.sum,sm__cycles_elapsed.avg.per_second,lts__throughput.avg.pct_of_peak_sustained_elapsed
M=$M,lts__t_sectors_op_read.sum,lts__t_sector_op_read_hit_rate.pct,dram__bytes_read.sum
M=$M,dram__throughput.avg.pct_of_peak_sustained_elapsed,regex:sm__pipe_tensor_op_.*cycles_active.avg.pct_of_peak_sustained_elapsed
M=$M,smsp__issue_active.avg.pct_of_peak_sustained_active,l1tex__m_xbar2l1tex_read_bytes.sum,smsp__inst_executed.sum
for m in 160 192; do
  echo "## M=$m N=8192 K=4096 coop_r128_t128"
  timeout 100 ncu -k regex:sm90_w4a16 --launch-count 2 --metrics "$M" $B bench -m $m -n 8192 -k 4096 --config coop_r128_t128 --warmup 1 --iters 1 2>&1 |
    grep -vE "^==PROF==|^\s*$|Section:|^\s+-+|Metric Name"
done > "$OUT/ncu_m160.txt" 2>&1
tail -5 "$OUT/ncu_m160.txt"
