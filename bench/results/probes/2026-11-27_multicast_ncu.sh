tar -xJf .carry/build.tar.xz
M=gpu__time_duration.sum,sm__cycles_elapsed.avg.per_second,lts__t_sectors_op_read.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_elapsed,lts__t_sectors_srcunit_ltcfabric.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,sm__cycles_active.avg
for s in long_scoreboard barrier membar wait sleeping math_pipe_throttle; do M=$M,smsp__average_warps_issue_stalled_${s}_per_issue_active.ratio; done
for side in off mc; do
  env=""; [ $side = mc ] && env="W4A16_MULTICAST=1"
  for shape in "1024 8192 8192" "128 28672 4096"; do
    read m n k <<<"$shape"
    echo "## $side M=$m N=$n K=$k"
    env $env timeout 100 ncu -k regex:sm90_w4a16 --launch-count 1 --section LaunchStats --section Occupancy --metrics $M build-carry/w4a16 bench -m $m -n $n -k $k --warmup 1 --iters 1 2>&1 | grep -E "Grid Size|Cluster|gpu__|sm__|lts__|smsp__|Block Limit|Registers|Shared Memory Config|Waves" 
  done
done
