#!/usr/bin/env bash
# Fortieth session, call 6: the quads only where their 96 CTAs fit (72 whole tiles; call 5 found that 32 clusters
# of four did not all fit on the H200, so the 128-CTA plans had run through the workspace fixup). .carry/build.tar.xz
# = that rule (source in its SOURCE_ID). 1. A/B in one build, 3 interleaved repeats: quads, the same units through the
# workspace (W4A16_CLUSTER_REDUCE=0), whole tiles (W4A16_QUADS=0: the submitted source's plans) on every plan the
# rule moves in the listing (fortieth session) with bf16 and zeros, and a control without quads. 2. gpu-check tests
# and sanitize (the kernels are call 5's: same PTX, SASS checked there).
set -uo pipefail
tar -xJf .carry/build.tar.xz
AB_SIDES="quads:new skws:new:W4A16_CLUSTER_REDUCE=0 whole:new:W4A16_QUADS=0" AB_RAW="$OUT/ab_raw_quads72.txt" \
  timeout 260 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s40_quads72_cases.txt | tee "$OUT/ab_quads72.txt"
scripts/gpu-check.sh tests sanitize 2>&1 | tail -16
