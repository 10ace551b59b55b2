#!/usr/bin/env bash
# Forty-third session, call 2: the robustness changes (host code only: validation, error mapping, the cluster
# plan check, the C++ wrapper, quantizer, tuning cache, environment switches), carried build.
# 1. gpu-check tests sanitize sass. 2. The kernels' SASS against version 139's build (the sm90 kernels last changed
# in version 137, so it should be identical function by function). 3. Against version 139 on 8 problems, one per
# kind of plan (gemv, t8, t16, pairs, quads, mid M, large M, bf16 zeros), 3 interleaved repeats. 4. `w4a16 info`
# with a tuning cache that does not load.
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "stream-K quads planned\|subnormal instance in" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null | head -3
mkdir -p /tmp/ab-v139 && tar -xJf .carry/v139.tar.xz -C /tmp/ab-v139
cuobjdump -sass build-carry/w4a16 >/tmp/new.sass 2>&1
cuobjdump -sass /tmp/ab-v139/build-carry/w4a16 >/tmp/v139.sass 2>&1
python3 bench/results/probes/2026-11-29_s43_sass_same.py /tmp/new.sass /tmp/v139.sass | tee "$OUT/sass_same.txt"
AB_SIDES="v139:v139 new:new" AB_RAW="$OUT/ab_raw.txt" timeout 200 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-29_s43_call2_cases.txt | tee "$OUT/ab.txt"
printf 'w4a16-tune 12\n' >/tmp/bad.tune
W4A16_TUNE_CACHE=/tmp/bad.tune build-carry/w4a16 info 2>&1 | head -4 | tee "$OUT/info_bad_cache.txt"
