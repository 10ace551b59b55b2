#!/usr/bin/env bash
# Fortieth session, call 1: the thirty-ninth session's prepared A/B (2026-11-29_s39_next.sh) with the candidate built
# on the build machine instead of the device: version 135 = the submitted source 3bf7e586 with sm90::pair_noshift_form
# returning mb == 1 && (tn == 64 || tn == 96 || tn == 128) (the no-shift pair form also for the 96-token pairs and
# fp16's 128-token pairs; source f3109a8f, CLI only, 90a-real), carried as .carry/v135.tar.xz; .carry/build.tar.xz is
# the submitted build. 14 cases x 2 sides x 5 interleaved repeats (about 3.5 minutes).
set -uo pipefail
AB_SIDES="v134:new v135:v135" AB_RAW="$OUT/ab_raw_v135.txt" timeout 560 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s39_next_cases.txt | tee "$OUT/ab_v135.txt"
