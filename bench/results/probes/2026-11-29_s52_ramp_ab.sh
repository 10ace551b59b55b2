#!/usr/bin/env bash
# Fifty-second session, call 1: the ramped first ring fill prepared in the fifty-first
# (2026-11-29_s51_ramp_knob.patch on version 151; W4A16_PROBE_RAMP=R: the producer issues stages 0..R-1,
# waits until stage 0's data has landed, then issues the rest). base = the same build without the knob.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.max.mem --format=csv | tee "$OUT/ramp_ab.txt"
AB_SIDES="base:new r1:new:W4A16_PROBE_RAMP=1 r2:new:W4A16_PROBE_RAMP=2 r4:new:W4A16_PROBE_RAMP=4" AB_RAW="$OUT/ramp_raw.txt" \
  scripts/ab.sh 4 <<'CASES' | tee -a "$OUT/ramp_ab.txt"
1 14336 4096
1 8192 8192
1 4096 14336
16 8192 8192
1 57344 8192
CASES
