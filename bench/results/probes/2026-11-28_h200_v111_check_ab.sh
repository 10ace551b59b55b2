#!/bin/bash
# Version 111 on the GPU: the GPU suites, SASS and sanitizers of the carried build (scripts/gpu-check.sh), the
# whole-group kernels' opcode mix (old vs new), then interleaved A/B against the previous build (.carry/old.tar.xz).
set -u
scripts/gpu-check.sh tests sass sanitize
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
mkdir -p /tmp/ab-old && tar -xJf .carry/old.tar.xz -C /tmp/ab-old
for b in /tmp/ab-old/build-carry/w4a16 build-carry/w4a16; do
  echo "== $b"; bash bench/results/probes/2026-11-28_sass_mix.sh $b 'sm90_w4a16_kernelILb[01]ELi1ELi(8|16|32|64|128)ELi128ELb0ELi1ELb1ELb0ELi[012]'
done > "$OUT/sass_mix.txt" 2>&1
cat > /tmp/cases <<'C'
1 8192 8192
1 57344 8192
4 57344 8192
1 8192 28672
1 28672 4096
16 8192 8192
16 57344 8192
16 4096 14336
16 8192 28672
32 8192 8192
64 8192 8192
64 4096 14336
64 28672 4096
64 57344 8192
128 8192 8192
128 8192 28672
256 8192 8192
1024 8192 8192
16 8192 8192 --zeros
16 57344 8192 --zeros
1 8192 8192 --dtype bf16
64 8192 8192 --dtype bf16
16 57344 8192 --dtype bf16 --zeros
C
AB_RAW=$OUT/ab_raw.txt timeout 430 scripts/ab.sh 5 < /tmp/cases > "$OUT/ab.txt" 2>&1
cat "$OUT/ab.txt" | cut -c1-150
