#!/usr/bin/env bash
# Fiftieth session, call 8: the sm90 mainloop's per-stage bookkeeping trimmed (probe; patch
# bench/results/probes/2026-11-29_s50_trim.patch on version 149): each stage's shared address computed once
# and its wgmma descriptor built once, each k16 step's descriptor a constant add (smem_desc_sw128 without its
# redundant mask). Call 1 counted ~6.7 bookkeeping instructions per dequantized word in coop_r128_t8.
# The GPU suites on the probe build, then 4 interleaved repeats against version 149 (.carry/old.tar.xz).
set -uo pipefail
scripts/gpu-check.sh tests
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="v149:old trim:new" AB_RAW="$OUT/trim_ab_raw.txt" scripts/ab.sh 4 <<'CASES' | tee "$OUT/trim_ab.txt"
1 8192 8192
1 57344 8192
16 8192 8192
16 4096 14336
32 8192 8192
64 8192 8192
64 4096 14336
256 6144 4096
1 8192 8192 --dtype bf16
1024 6144 4096
CASES
