#!/usr/bin/env bash
# Forty-third session, call 6: where the stream-K fill's extra L2 reads come from (row 136: 6144x4096 M=192 read
# 2.69 M L2 sectors as 96 whole tiles and 4.18 M as a 132-CTA stream-K fill; its fp32 partials account for ~1/3 of the
# difference). Hypothesis: traffic between the two L2 partitions (ltcfabric), which the band raster cut 25% in
# version 49 and which counts in the L2's sector reads. ncu on both plans of the same kernel (coop_r128_t128 forced;
# the submitted build, and .carry/skfill.tar.xz: the submitted source with the fortieth session's fill patch), with
# the L2 sectors split by source unit (SM/TMA "tex" against the fabric) and the SMs' global loads and stores.
set -uo pipefail
tar -xJf .carry/build.tar.xz
mkdir -p /tmp/sk && tar -xJf .carry/skfill.tar.xz -C /tmp/sk
M=gpu__time_duration.sum,launch__grid_size,sm__cycles_active.avg,lts__t_sectors_op_read.sum,lts__t_sectors_op_write.sum
M=$M,lts__t_sectors_srcunit_ltcfabric.sum,lts__t_sectors_srcunit_tex_op_read.sum,lts__t_sectors_srcunit_tex_op_write.sum
M=$M,lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum,dram__bytes_read.sum,smsp__inst_executed_op_global_ld.sum
M=$M,smsp__inst_executed_op_global_st.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active
for m in 192 256; do
  for side in base:build-carry skfill:/tmp/sk/build-carry; do
    echo "## M=$m N=6144 K=4096 coop_r128_t128 ${side%%:*}"
    timeout 120 ncu -k regex:sm90_w4a16 --launch-skip 1 --launch-count 1 --metrics "$M" "${side#*:}/w4a16" bench -m $m -n 6144 \
      -k 4096 --config coop_r128_t128 --warmup 1 --iters 1 2>&1 | grep -vE "^==PROF==|^\s*$|Section:|^\s+-+|Metric Name|^device|^seed|^backend|^sm90|^without"
  done
done > "$OUT/ncu_skfill_l2.txt" 2>&1
cat "$OUT/ncu_skfill_l2.txt" | head -120
