#!/usr/bin/env bash
# Forty-fourth session, call 2. Carry [".carry"] with .carry/build.tar.xz = the submitted source (eae1f8c5) and
# .carry/v141.tar.xz = the same with sm90::pair_noshift_form true for the 96- and 128-token pairs in both dtypes
# (the thirty-ninth session's prepared A/B, s39_next.sh, whose patch no longer applied; the CLI only).
# 1. The pointer probe (2026-11-29_s44_ptr_probe.cpp): X, Y, bias or weights in host, pinned, managed or
#    registered memory; cudaPointerGetAttributes' cost.
# 2. The A/B, 5 interleaved repeats, on s39_next's cases.
set -uo pipefail
t0=$SECONDS
tar -xJf .carry/build.tar.xz
g++ -O2 -std=c++17 bench/results/probes/2026-11-29_s44_ptr_probe.cpp -I include -I /usr/local/cuda/include \
  -L build-carry -lw4a16 -L /usr/local/cuda/lib64 -lcudart -o /tmp/ptr_probe &&
  LD_LIBRARY_PATH=build-carry timeout 150 /tmp/ptr_probe >"$OUT/ptr_probe.txt" 2>&1
echo "probe rc=$? in $((SECONDS - t0)) s"; cat "$OUT/ptr_probe.txt" | head -120
AB_SIDES="new:new v141:v141" AB_RAW="$OUT/ab_raw_v141.txt" timeout $((570 - SECONDS)) scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s39_next_cases.txt | tee "$OUT/ab_v141.txt"
echo "total $((SECONDS - t0)) s"
