#!/usr/bin/env bash
# Fortieth session, call 4: why the stream-K fill loses on 6144x4096 (call 3: M=192 23.46 -> 32.71 us with 132 CTAs
# instead of 96 whole tiles, each CTA ~23.3 of the tile's 32 k-blocks). ncu counters of both plans (the submitted
# build and the probe build .carry/skfill.tar.xz, the same kernel coop_r128_t128) on M = 192 and 256: duration,
# instructions, DRAM and L2 bytes, issue and tensor-pipe activity, and the SMs' active cycles (min / avg / max, the
# balance stream-K should give). Then both builds with and without PDL (W4A16_PDL=0), 3 interleaved repeats.
set -uo pipefail
tar -xJf .carry/build.tar.xz
mkdir -p /tmp/sk && tar -xJf .carry/skfill.tar.xz -C /tmp/sk
M=gpu__time_duration.sum,sm__cycles_active.min,sm__cycles_active.avg,sm__cycles_active.max,smsp__inst_executed.sum
M=$M,dram__bytes_read.sum,dram__bytes_write.sum,lts__t_sectors_op_read.sum,lts__t_sectors_op_write.sum,lts__t_sectors_op_atom.sum
M=$M,smsp__issue_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active
M=$M,smsp__warp_issue_stalled_long_scoreboard_per_warp_active.pct,smsp__warp_issue_stalled_barrier_per_warp_active.pct
M=$M,smsp__warp_issue_stalled_membar_per_warp_active.pct,smsp__warp_issue_stalled_wait_per_warp_active.pct,launch__grid_size
for m in 192 256; do
  for side in base:build-carry skfill:/tmp/sk/build-carry; do
    echo "## M=$m N=6144 K=4096 ${side%%:*}"
    timeout 120 ncu -k regex:sm90_w4a16 --launch-skip 1 --launch-count 1 --metrics "$M" "${side#*:}/w4a16" bench -m $m -n 6144 \
      -k 4096 --warmup 1 --iters 1 2>&1 | grep -vE "^==PROF==|^\s*$|Section:|^\s+-+|Metric Name|^device|^seed|^backend|^sm90|^without"
  done
done > "$OUT/ncu_skfill.txt" 2>&1
cat "$OUT/ncu_skfill.txt" | head -120
printf '192 6144 4096\n256 6144 4096\n' | AB_SIDES="base:new skfill:skfill base_nopdl:new:W4A16_PDL=0 skfill_nopdl:skfill:W4A16_PDL=0" \
  AB_RAW="$OUT/ab_raw_pdl.txt" timeout 200 scripts/ab.sh 3 | tee "$OUT/ab_pdl.txt"
