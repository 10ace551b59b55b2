#!/usr/bin/env bash
# Forty-third session, call 3: the submitted source after the review of the robustness change (host code only:
# the exact overlap test, the quantizer's largest-code check, fail() without allocation, the pack's error mapping),
# carried build: gpu-check tests sass, and the kernels' SASS against version 139's build.
set -uo pipefail
scripts/gpu-check.sh tests sass 2>&1 | tail -12
grep -h "stream-K quads planned\|subnormal instance in" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null | head -3
mkdir -p /tmp/ab-v139 && tar -xJf .carry/v139.tar.xz -C /tmp/ab-v139
cuobjdump -sass build-carry/w4a16 >/tmp/new.sass 2>&1
cuobjdump -sass /tmp/ab-v139/build-carry/w4a16 >/tmp/v139.sass 2>&1
python3 bench/results/probes/2026-11-29_s43_sass_same.py /tmp/new.sass /tmp/v139.sass | tee "$OUT/sass_same.txt"
