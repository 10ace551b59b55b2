#!/usr/bin/env bash
# Thirty-second session probe: why the sm80 16-token decode tile (r128_t16) streams 12-21% slower than the
# 8-token one (r128_t8) on the large shapes (H200 v55: 57344x8192 M=16 96.7 us against 79.7 at M=4, both
# split 1). Forced-configuration times (scripts/ab.sh, one variant) and ncu of r128_t8 at M=8 against
# r128_t16 at M=8 and M=16 (same tiles, same split; M=8 on t16 halves X but keeps the MMAs), plus the
# SASS opcode histograms of the two tiles' kernels. Run from the repo root on the device; writes $OUT.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
B=build-carry/w4a16
M=gpu__time_duration.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed,lts__throughput.avg.pct_of_peak_sustained_elapsed
M=$M,smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,smsp__warps_active.avg.per_cycle_active
M=$M,smsp__warps_eligible.avg.per_cycle_active,sm__cycles_active.avg,sm__inst_executed_pipe_tensor_op_hmma.sum
M=$M,smsp__inst_executed_op_ldgsts.sum,smsp__inst_executed_op_ldsm.sum,l1tex__data_bank_conflicts_pipe_lsu_mem_shared.sum
M=$M,launch__registers_per_thread,lts__t_sectors_srcunit_tex_op_read.sum,dram__bytes_read.sum,sm__cycles_elapsed.avg.per_second
for s in long_scoreboard short_scoreboard lg_throttle barrier wait mio_throttle no_instruction drain math_pipe_throttle \
         selected not_selected dispatch_stall imc_miss branch_resolving membar tex_throttle; do
  M=$M,smsp__average_warps_issue_stalled_${s}_per_issue_active.ratio
done
{
  for c in "8 57344 8192 r128_t8" "8 57344 8192 r128_t16" "16 57344 8192 r128_t16" "16 8192 28672 r128_t16" \
           "8 8192 28672 r128_t8"; do
    read -r m n k cfg <<<"$c"
    echo "## M=$m N=$n K=$k --backend sm80 --config $cfg"
    timeout 120 ncu --kernel-name regex:sm80_w4a16 --launch-skip 2 --launch-count 1 --metrics "$M" \
      $B bench -m $m -n $n -k $k --backend sm80 --config $cfg --warmup 1 --iters 1 2>&1 |
      grep -E "^\s+(gpu__|dram__|smsp__|sm__|l1tex__|launch__|lts__)|sm80_w4a16_kernel<"
  done
} >"$OUT/ncu_t16.txt" 2>&1
so=$(ls build-carry/libw4a16.so.* | head -1)
cuobjdump -sass "$so" 2>/dev/null | awk '
  /Function :/ { f = $3; keep = (f ~ /sm80_w4a16_kernel/ && f ~ /Li4ELi1ELi2ELi(1|2)ELi128ELi3ELi4E/) }
  keep && /^ +\/\*[0-9a-f]+\*\// { op = $2; if (op ~ /^@/) op = $3; sub(/;$/, "", op); split(op, a, "."); c[f" "a[1]]++; n[f]++ }
  END { for (k in c) print k, c[k]; for (f in n) print f, "TOTAL", n[f] }' | sort >"$OUT/sass_t8_t16_hist.txt"
cat >/tmp/cases <<'C'
8 57344 8192 --backend sm80 --config r128_t8
8 57344 8192 --backend sm80 --config r128_t16
16 57344 8192 --backend sm80 --config r128_t16
16 57344 8192 --backend sm80 --config r128_t32
8 8192 28672 --backend sm80 --config r128_t8
8 8192 28672 --backend sm80 --config r128_t16
16 8192 28672 --backend sm80 --config r128_t16
8 8192 8192 --backend sm80 --config r128_t8
8 8192 8192 --backend sm80 --config r128_t16
16 8192 8192 --backend sm80 --config r128_t16
16 57344 8192 --backend sm90
C
AB_SIDES="d:new" scripts/ab.sh 3 </tmp/cases >"$OUT/ab_t16.txt" 2>&1
wc -l "$OUT"/*.txt
