#!/usr/bin/env bash
# Thirty-sixth session, call 3: version 127 (a 160-token tile coop_r128_t160 in the table and in sm90_pick's model,
# as unfitted as the 96- and 192-token tiles) and version 128 (sm90_pick's 256-row rule only at M = 97-128, so the
# 96-token tile takes M = 65-96 on N ~ 25600-33792). The carried build's GPU tests, SASS and sanitizers (two new
# 160-token SanitizerSubset cases), then its picks against version 126 (5a5eabc2, .carry/old.tar.xz) where they
# differ, interleaved, 3 repeats.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass sanitize; echo "check done $SECONDS s"
AB_RAW="$OUT/ab_raw.txt" timeout $((570 - SECONDS)) scripts/ab.sh 3 < bench/results/probes/2026-11-28_s36_call3_cases.txt | tee "$OUT/ab.txt"
echo "ab done $SECONDS s"
