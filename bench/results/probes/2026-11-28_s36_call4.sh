#!/usr/bin/env bash
# Thirty-sixth session, call 4: the submitted build (versions 127-128 with the split-slice guard: a split of a new
# tile needs > 1024, i.e. >= 1536, of K a slice). Its GPU tests and SASS; its picks against version 126 (5a5eabc2,
# .carry/old.tar.xz) where they moved and call 3 did not time them, interleaved, 3 repeats; then ours against
# cuBLAS (one bench each) at M = 136, 160 and 320 on the four issue shapes.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout 200 scripts/ab.sh 3 < bench/results/probes/2026-11-28_s36_call4_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
for m in 136 160 320; do for s in "28672 4096" "4096 14336" "8192 8192" "57344 8192"; do
  [ $SECONDS -gt 420 ] && break 2
  read -r n k <<<"$s"; timeout 30 build-carry/w4a16 bench -m $m -n $n -k $k --iters 30 >>"$OUT/vs_cublas.txt" 2>&1
done; done
echo "bench done $SECONDS s"
