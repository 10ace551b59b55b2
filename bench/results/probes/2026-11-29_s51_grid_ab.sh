#!/usr/bin/env bash
# Fifty-first session, call 1: the persistent grid's waves and the fill of short decode plans, on a probe
# build whose plan_sm90 reads W4A16_PROBE_EVEN=1 (whole-tile cooperative plans over more tiles than CTAs:
# grid = ceil(units / waves), so every CTA runs the same number of tiles; 224 tiles -> 112 CTAs of 2 tiles
# instead of 92 CTAs of 2 and 40 of 1), W4A16_PROBE_SKFILL=1 (stream-K fill wherever the split-K plan keeps
# < 95% of the SMs busy: 6144x4096 M <= 32, 96 -> 132 CTAs) and W4A16_PROBE_GRID=N (a cap on the grid).
# Interleaved repeats (scripts/ab.sh). Run on the device from the repository root:
#   bash bench/results/probes/2026-11-29_s51_grid_ab.sh
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
echo "== even waves"
AB_SIDES="base:new even:new:W4A16_PROBE_EVEN=1" AB_RAW="$OUT/even_raw.txt" scripts/ab.sh 5 <<'CASES' | tee "$OUT/even_ab.txt"
1 28672 4096
16 28672 4096
32 28672 4096
64 28672 4096
1 28672 8192
16 28672 8192
1 32768 4096
CASES
echo "== stream-K fill below 95%"
AB_SIDES="base:new skf:new:W4A16_PROBE_SKFILL=1" AB_RAW="$OUT/skf_raw.txt" scripts/ab.sh 5 <<'CASES' | tee "$OUT/skf_ab.txt"
1 6144 4096
4 6144 4096
16 6144 4096
32 6144 4096
CASES
echo "== per-SM rate: 112 tiles on 112, 56 and 28 CTAs"
AB_SIDES="g112:new g56:new:W4A16_PROBE_GRID=56 g28:new:W4A16_PROBE_GRID=28" AB_RAW="$OUT/grid_raw.txt" scripts/ab.sh 3 <<'CASES' | tee "$OUT/grid_ab.txt"
1 14336 4096
CASES
