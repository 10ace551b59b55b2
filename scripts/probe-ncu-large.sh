#!/usr/bin/env bash
# probe: ncu of our large-M kernel, L2 / DRAM / tensor-pipe throughput and the SM clock, at M = 4096
# points that miss 0.95x; writes $OUT/ncu_large$NCU_TAG.txt. (cuBLAS: NCU_CUBLAS=1 profiles the first 8 of
# its launches instead, which are the bench's 8192^3 ceiling runs.)
# Run from the repo root on the device (after gpu-check.sh or ab.sh unpacked the carried build).
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
M=gpu__time_duration.sum,sm__cycles_elapsed.avg.per_second,lts__throughput.avg.pct_of_peak_sustained_elapsed
M=$M,lts__t_sectors_op_read.sum,lts__t_sectors_srcunit_tex_op_read.sum,lts__t_sector_op_read_hit_rate.pct
M=$M,dram__bytes_read.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed,sm__throughput.avg.pct_of_peak_sustained_elapsed
M=$M,regex:sm__pipe_tensor_op_.*cycles_active.avg.pct_of_peak_sustained_elapsed,regex:lts__t_sectors_srcunit_ltcfabric.sum$
M=$M,smsp__issue_active.avg.pct_of_peak_sustained_active,l1tex__m_xbar2l1tex_read_bytes.sum.per_second
# NCU_SHAPES="M N K;M N K" picks the shapes (default: the two below).
IFS=";" read -ra SHAPES <<<"${NCU_SHAPES:-4096 8192 8192;4096 28672 4096}"
for shape in "${SHAPES[@]}"; do
  read m n k <<<"$shape"
  echo "## M=$m N=$n K=$k (bench --warmup 1 --iters 1)"
  filter="-k regex:sm90_w4a16 --launch-count 2"
  [ -n "${NCU_CUBLAS:-}" ] && filter="-k regex:nvjet --launch-count 8"
  # shellcheck disable=SC2086
  timeout 120 ncu $filter --metrics "$M" build-carry/w4a16 bench -m $m -n $n -k $k --warmup 1 --iters 1 2>&1 |
    grep -vE "^==PROF==|^\s*$|Section:|^\s+-+|Metric Name"
done > "$OUT/ncu_large${NCU_TAG:-}.txt" 2>&1
