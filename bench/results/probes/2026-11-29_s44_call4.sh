#!/usr/bin/env bash
# Forty-fourth session, call 4 (as call 3, with the allocation-range check; first the range probe). For
# GpuErrors.OperandsTheDeviceCannotReachAreRefused). Carry [".carry"]: build.tar.xz = the source with
# check_reachable, s43.tar.xz = the CLI of the submitted source before it (eae1f8c5).
# 1. scripts/gpu-check.sh tests sass (all suites; the new test).
# 2. The host cost of a product without a graph (`w4a16 bench` single problem: 100 launches back to back,
#    host time per enqueue), the build before check_reachable against the one with it, 3 alternating repeats.
# 3. The pointer probe again with the new library (every case should now be refused or run).
set -uo pipefail
t0=$SECONDS
nvidia-smi -L
g++ -O2 -std=c++17 bench/results/probes/2026-11-29_s44_range_probe.cpp -I /usr/local/cuda/include -L /usr/local/cuda/lib64 -lcudart -o /tmp/range_probe && /tmp/range_probe | tee "$OUT/range_probe.txt"
scripts/gpu-check.sh tests sass
cp "$OUT/summary.txt" "$OUT/summary_call4.txt"
mkdir -p /tmp/s43 && tar -xJf .carry/s43.tar.xz -C /tmp/s43
for r in 1 2 3; do
  for side in s43 new; do
    bin=build-carry/w4a16; [ $side = s43 ] && bin=/tmp/s43/build-carry/w4a16
    for shape in "-m 1 -n 4096 -k 4096" "-m 16 -n 8192 -k 8192"; do
      echo "repeat $r $side $shape: $($bin bench $shape 2>&1 | grep 'without a CUDA graph')"
    done
  done
done | tee "$OUT/host_cost.txt"
g++ -O2 -std=c++17 bench/results/probes/2026-11-29_s44_ptr_probe.cpp -I include -I /usr/local/cuda/include \
  -L build-carry -lw4a16 -L /usr/local/cuda/lib64 -lcudart -o /tmp/ptr_probe &&
  LD_LIBRARY_PATH=build-carry timeout 150 /tmp/ptr_probe >"$OUT/ptr_probe_after.txt" 2>&1
grep -c "ERR_INVALID_ARGUMENT" "$OUT/ptr_probe_after.txt"; grep -c "IllegalAddress" "$OUT/ptr_probe_after.txt"
grep "pageable" "$OUT/ptr_probe_after.txt" | head -3
echo "total $((SECONDS - t0)) s"
