#!/bin/bash
# probe 111 device script
cd "$(dirname "$0")/../../.." 2>/dev/null || true
set -u
nvidia-smi --query-gpu=name,clocks.max.sm --format=csv,noheader
nvcc -O3 -arch=sm_90a -o /tmp/subn bench/results/probes/2026-11-28_subnormal_dequant_check.cu && /tmp/subn | tee $OUT/subn_check.txt
tar -xJf .carry/build.tar.xz
for v in subn1 subn2; do mkdir -p /tmp/ab-$v && tar -xJf .carry/$v.tar.xz -C /tmp/ab-$v; done
for b in build-carry/w4a16 /tmp/ab-subn1/build-carry/w4a16 /tmp/ab-subn2/build-carry/w4a16; do
  echo "== $b"; bash bench/results/probes/2026-11-28_sass_mix.sh $b 'sm90_w4a16_kernelILb[01]ELi1ELi(16|64|8)ELi128ELb0ELi1ELb1ELb0ELi[012]'
done > $OUT/sass_mix.txt 2>&1
cat > /tmp/cases <<'C'
1 8192 8192
1 57344 8192
16 8192 8192
16 57344 8192
16 4096 14336
64 8192 8192
64 4096 14336
64 28672 4096
128 8192 8192
256 8192 8192
1024 8192 8192
16 8192 8192 --zeros
1 8192 8192 --dtype bf16
64 8192 8192 --dtype bf16
16 57344 8192 --dtype bf16 --zeros
C
AB_SIDES="old:new s1:subn1 s2:subn2" AB_RAW=$OUT/raw.txt timeout 420 scripts/ab.sh 4 < /tmp/cases > $OUT/ab.txt 2>&1
grep -v "VERIFY" $OUT/ab.txt | tail -20
grep -c "VERIFY FAILED (s1)" $OUT/ab.txt
timeout 100 /tmp/ab-subn1/build-carry/tests/test_sm90_w4a16 --gtest_brief=1 > $OUT/test_sm90_s1.txt 2>&1; echo "test rc=$?"
tail -5 $OUT/test_sm90_s1.txt
