#!/usr/bin/env bash
# Forty-second session, call 7: the submitted version 140 (source 14ad9f54) against version 139 on 12 more problems
# outside the fit whose pick moves, in the variants the fit had little of (bf16, g = 32 / 64 / per-channel, zeros) and
# N down to 1536, 3 interleaved repeats.
set -uo pipefail
AB_SIDES="v139:v139 v140:new" AB_RAW="$OUT/ab_raw_v140_variants.txt" \
  timeout 190 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s42_v140_variant_cases.txt | tee "$OUT/ab_v140_variants.txt"
