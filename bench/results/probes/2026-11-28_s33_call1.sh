#!/usr/bin/env bash
# Thirty-third session, call 1: three prepared probes against the submitted build (old = 421487cd), interleaved
# (scripts/ab.sh), and a forced-configuration table for the sm80 M = 2-4 rule on small shapes.
#  pin4   the pinned shared-memory offsets in r128_t64_w4x1 only (patch s32_pin64 restricted to WR == 4)
#  gemvp  the gemv without the zero-pair broadcasts (patch s32_gemvp)
#  sub128 the sm90 128-token tiles in the subnormal dequant form (subn_dequant: tn <= 128)
set -uo pipefail
tar -xJf .carry/build.tar.xz
nvidia-smi --query-gpu=name,driver_version,clocks.sm,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
cat >/tmp/c_pin4 <<'C'
64 28672 4096 --backend sm80
64 57344 8192 --backend sm80
64 8192 28672 --backend sm80
128 8192 8192 --backend sm80
128 4096 14336 --backend sm80
64 28672 4096 --backend sm80 --dtype bf16
C
cat >/tmp/c_gemvp <<'C'
1 4096 4096 --backend sm80
1 6144 4096 --backend sm80
1 4096 14336 --backend sm80
2 4096 4096 --backend sm80
4 4096 4096 --backend sm80
1 4096 4096 --backend sm80 --zeros
1 4096 4096 --backend sm90
2 4096 4096 --backend sm90
C
cat >/tmp/c_sub128 <<'C'
128 8192 8192 --backend sm90
128 4096 14336 --backend sm90
128 10240 8192 --backend sm90
128 8192 28672 --backend sm90
128 28672 4096 --backend sm90
256 8192 8192 --backend sm90
256 4096 14336 --backend sm90
256 10240 8192 --backend sm90
256 6144 4096 --backend sm90
128 8192 8192 --backend sm90 --dtype bf16
128 8192 8192 --backend sm90 --zeros
C
: >/tmp/c_rule
for m in 2 3 4; do for s in "1024 4096" "2048 4096" "3072 4096" "4096 4096" "6144 4096"; do
  [ "$m" = 2 ] && [ "${s%% *}" -gt 2048 ] && continue
  for c in gemv_t8 r64_t8 r128_t8; do echo "$m $s --backend sm80 --config $c" >>/tmp/c_rule; done; done; done
t0=$SECONDS
AB_SIDES="old:old pin4:pin4" AB_RAW=$OUT/raw_pin4.txt scripts/ab.sh 4 </tmp/c_pin4 >"$OUT/ab_pin4.txt" 2>&1
echo "pin4 done $((SECONDS - t0)) s"
AB_SIDES="old:old gemvp:gemvp" AB_RAW=$OUT/raw_gemvp.txt scripts/ab.sh 4 </tmp/c_gemvp >"$OUT/ab_gemvp.txt" 2>&1
echo "gemvp done $((SECONDS - t0)) s"
AB_SIDES="old:old sub128:sub128" AB_RAW=$OUT/raw_sub128.txt scripts/ab.sh 4 </tmp/c_sub128 >"$OUT/ab_sub128.txt" 2>&1
echo "sub128 done $((SECONDS - t0)) s"
AB_SIDES="new:new" AB_RAW=$OUT/raw_rule.txt scripts/ab.sh 2 </tmp/c_rule >"$OUT/ab_rule.txt" 2>&1
echo "rule done $((SECONDS - t0)) s"
cat "$OUT"/ab_*.txt
