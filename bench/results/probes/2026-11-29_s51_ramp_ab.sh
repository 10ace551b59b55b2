#!/usr/bin/env bash
# Fifty-first session, call 9: the first ring fill ramped (W4A16_PROBE_RAMP=R on version 151 + 2026-11-29_s51_ramp_knob.patch:
# the producer issues stages 0..R-1, waits until stage 0's data has landed, then issues the rest). Calls 2-5 found a
# CTA's first data ~1 us after its release, sooner the later the release: does the ring fill of every CTA at once
# (stages 5-8 from DRAM) delay the first, L2-prefetched stages?
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
AB_SIDES="base:new r1:new:W4A16_PROBE_RAMP=1 r2:new:W4A16_PROBE_RAMP=2 r4:new:W4A16_PROBE_RAMP=4" AB_RAW="$OUT/ramp_raw.txt" \
  scripts/ab.sh 3 <<'CASES' | tee "$OUT/ramp_ab.txt"
1 14336 4096
1 8192 8192
1 4096 14336
CASES
