#!/usr/bin/env bash
# Eighteenth session: is the sm90 mid-M tile (coop_r128_t64, 8192^2) bound by L2 -> SM traffic (X re-read by every
# 128-row tile)? ncu, clocks not locked, one warm launch per point; prints the SOL and L2/DRAM/tensor figures.
B=${B:-build-carry}
M=gpu__time_duration.sum,sm__cycles_elapsed.avg.per_second,lts__t_sectors_op_read.sum,lts__t_sectors_srcunit_ltcfabric.sum
M=$M,lts__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed
M=$M,lts__t_bytes.sum.per_second,dram__bytes_read.sum.per_second,l1tex__m_xbar2l1tex_read_bytes.sum.per_second
M=$M,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_elapsed,smsp__issue_active.avg.pct_of_peak_sustained_active
for s in long_scoreboard barrier wait sleeping math_pipe_throttle lg_throttle mio_throttle short_scoreboard; do
  M=$M,smsp__average_warps_issue_stalled_${s}_per_issue_active.ratio
done
for m in ${NCU_MS:-1 64 128 256}; do
  echo "## M=$m N=8192 K=8192 ${NCU_ENV:-}"
  env ${NCU_ENV:-} timeout 120 ncu --clock-control none -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 --metrics "$M" \
    "$B/w4a16" bench -m "$m" -n 8192 -k 8192 --warmup 5 --iters 5 2>&1 |
    grep -E "sm90_w4a16_kernel|gpu__|sm__|lts__|dram__|l1tex__|smsp__" | sed 's/(CUtensorMap_st.*//'
done
