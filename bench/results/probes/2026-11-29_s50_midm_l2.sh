#!/usr/bin/env bash
# Fiftieth session, call 7: is the link between the L2 partitions near its limit above decode (version 149)?
# ncu's breakdown of lts__throughput, one launch each (clocks free), at M = 64, 128, 256 on 8192^2 and M = 1024 on
# 6144x4096. Run from the repository root with .carry/build.tar.xz carried.
set -uo pipefail
B=build-carry
[ -x "$B/w4a16" ] || tar -xJf .carry/build.tar.xz
for shape in "64 8192 8192" "128 8192 8192" "256 8192 8192" "1024 6144 4096"; do
  read -r m n k <<<"$shape"
  echo "== $m x $n x $k"
  timeout 100 ncu --clock-control none -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 \
    --metrics breakdown:lts__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed,gpu__time_duration.sum,lts__t_sectors_srcunit_tex_lookup_hit.sum,lts__t_sectors_srcunit_tex.sum,lts__t_sectors_srcunit_ltcfabric.sum,dram__bytes_read.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_elapsed \
    "$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 5 2>&1 | grep -E "^ +[a-z]|sm90_w4a16_kernel<" | sort -k3 -g -r | head -16
done
