#!/usr/bin/env bash
# probe: ncu of the gemv kernel in several carried builds (NCU_BUILDS, default "old") and the new one;
# writes $OUT/ncu.txt. Run from the repo root on the device.
tar -xJf .carry/build.tar.xz
for b in ${NCU_BUILDS:-old}; do mkdir -p /tmp/ab-$b && tar -xJf .carry/$b.tar.xz -C /tmp/ab-$b; done
M=gpu__time_duration.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,smsp__warps_active.avg.per_cycle_active,smsp__warps_eligible.avg.per_cycle_active
for s in long_scoreboard short_scoreboard lg_throttle barrier wait mio_throttle no_instruction drain math_pipe_throttle selected not_selected dispatch_stall imc_miss branch_resolving sleeping membar tex_throttle; do M=$M,smsp__average_warps_issue_stalled_${s}_per_issue_active.ratio; done
M=$M,l1tex__data_bank_conflicts_pipe_lsu_mem_shared.sum,launch__registers_per_thread,lts__t_sectors_srcunit_tex_op_read.sum,dram__bytes_read.sum
for side in ${NCU_BUILDS:-old} new; do
  bin=build-carry/w4a16; [ $side != new ] && bin=/tmp/ab-$side/build-carry/w4a16
  for shape in "1 4096 4096" "1 14336 1024"; do
    read m n k <<<"$shape"
    echo "## $side M=$m N=$n K=$k gemv_t8"
    ncu --kernel-name regex:gemv --launch-skip 2 --launch-count 1 --metrics $M $bin bench -m $m -n $n -k $k --config gemv_t8 --warmup 1 --iters 1 2>&1 | grep -E "^\s+(gpu__|dram__|smsp__|l1tex__|launch__|lts__)" 
  done
done > $OUT/ncu.txt 2>&1


wc -l $OUT/*.txt
