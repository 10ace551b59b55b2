#!/usr/bin/env bash
# Forty-fourth session, call 6: the residence check after the review (context, capture, access flags, host memory
# not remembered, 2-way sets). Carry [".carry"]: build.tar.xz = this source, s43.tar.xz = eae1f8c5's CLI.
# 1. scripts/gpu-check.sh tests sass; the Residence tests' output.
# 2. The kernels' SASS against eae1f8c5's build, function by function (the change is host code).
# 3. The pointer probe; the eager host cost against eae1f8c5 (3 alternating repeats).
set -uo pipefail
t0=$SECONDS
scripts/gpu-check.sh tests sass
cp "$OUT/summary.txt" "$OUT/summary_call6.txt"
tar -xzf "$OUT/logs.tgz" -O ./test_gpu_pack.log | grep -E "Residence|peer access|Failure|Expected|Which is|^[a-z].*:" | head -40
mkdir -p /tmp/s43 && tar -xJf .carry/s43.tar.xz -C /tmp/s43
cuobjdump -sass build-carry/w4a16 >/tmp/new.sass 2>/dev/null; cuobjdump -sass /tmp/s43/build-carry/w4a16 >/tmp/s43.sass 2>/dev/null
python3 bench/results/probes/2026-11-29_s43_sass_same.py /tmp/new.sass /tmp/s43.sass | tee "$OUT/sass_same.txt"
g++ -O2 -std=c++17 bench/results/probes/2026-11-29_s44_ptr_probe.cpp -I include -I /usr/local/cuda/include \
  -L build-carry -lw4a16 -L /usr/local/cuda/lib64 -lcudart -o /tmp/ptr_probe &&
  LD_LIBRARY_PATH=build-carry timeout 150 /tmp/ptr_probe >"$OUT/ptr_probe_v97.txt" 2>&1
echo "probe: $(grep -c ERR_INVALID_ARGUMENT "$OUT/ptr_probe_v97.txt") refused, $(grep -c IllegalAddress "$OUT/ptr_probe_v97.txt") illegal address, $(grep -c 'sync: cudaSuccess' "$OUT/ptr_probe_v97.txt") clean"
for r in 1 2 3; do
  for side in s43 new; do
    bin=build-carry/w4a16; [ $side = s43 ] && bin=/tmp/s43/build-carry/w4a16
    for shape in "-m 1 -n 4096 -k 4096" "-m 16 -n 8192 -k 8192"; do
      echo "repeat $r $side $shape: $($bin bench $shape 2>&1 | grep 'without a CUDA graph')"
    done
  done
done | tee "$OUT/host_cost.txt"
echo "total $((SECONDS - t0)) s"
