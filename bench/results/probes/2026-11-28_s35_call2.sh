#!/usr/bin/env bash
# Thirty-fifth session, call 2: version 125 (the 192-token tile coop_r128_t192 in the table and in sm90_pick's
# time model). The carried build's GPU tests, SASS and sanitizers, then its picks against the submitted build
# 81b99182 (.carry/old.tar.xz) where the two differ (M = 129-3072 on 22 shapes), interleaved, 3 repeats.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass sanitize; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout 470 scripts/ab.sh 3 < bench/results/probes/2026-11-28_s35_call2_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
