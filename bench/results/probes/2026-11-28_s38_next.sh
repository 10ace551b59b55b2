#!/usr/bin/env bash
# PREPARED in the thirty-eighth session; RUN as the thirty-ninth session's call 1 (279.6 s; records
#   bench/results/2026-11-29_h200_v73_check_summary.txt, probes/2026-11-29_h200_s39_v131_ab*.txt), with
#   both builds made again from the same sources (the checkout was fresh): ab5a96ba, and the candidate as 0c0fb63a. Carry:
#   .carry/build.tar.xz = the submitted source ab5a96ba (/work/carry-archive/final_ab5a96ba225a6fd4.tar.xz);
#   .carry/v131.tar.xz  = the version 131 candidate (/work/carry-archive/s38_v131cand.tar.xz: branch
#                         v131-pairs-noshift, CLI only, sm_90a): the 96- and 128-token pair instances also get the
#                         form without the last-tile shift, taken where the plan's last tile does not shift (what
#                         version 130 did for the 64-token pair instance, which gained 4-5%). 144 sm90 kernels.
# 1. The submitted build's suites, SASS and sanitizers. Its kernels' PTX equals version 130's (c0da3880, which passed
#    everything in the thirty-eighth session's call 1); not yet run on a GPU: the sanitizer subset's two forced
#    64-token pair cases (4104x2048 M = 72 / 96, both forms of the pair instance) and this exact build's suites.
# 2. The candidate against it on the 96- and 128-token pair picks (none of them shifts), 3 interleaved repeats, with
#    bf16, zeros and two controls whose kernels are the same in both builds (6144x4096 M=64: the 64-token pairs;
#    28672x4096 M=64: whole 64-token tiles). If the pair points gain, version 131 = branch v131-pairs-noshift (its
#    ShiftedLastTokenTile expects the no-shift form for the 96- and 128-token pairs too); build it, run its suites
#    and sanitizers, and update docs (row 131, ARCHITECTURE's SHIFT paragraph).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
AB_SIDES="v130:new v131:v131" AB_RAW="$OUT/ab_raw_v131.txt" timeout 240 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s38_next_cases.txt | tee "$OUT/ab_v131.txt"
