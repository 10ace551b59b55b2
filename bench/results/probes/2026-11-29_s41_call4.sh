#!/usr/bin/env bash
# Forty-first session, call 4: candidate version 139, the mid-M pick (129 <= M <= 512: the tile whose own plan a
# model fitted to call 3's tune estimates fastest), CLI carried as .carry/mid.tar.xz, against version 138 (the
# carried build, .carry/build.tar.xz), 3 interleaved repeats, on 25 problems outside call 3's tune set whose pick it
# moves (fp16, g=128), 4 bf16 / zeros / g=32 variants, and a control it leaves.
set -uo pipefail
AB_SIDES="v138:new mid:mid" AB_RAW="$OUT/ab_raw_mid.txt" \
  timeout 400 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s41_mid_cases.txt | tee "$OUT/ab_mid.txt"
