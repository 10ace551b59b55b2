#!/usr/bin/env bash
# Forty-third session, calls 4 and 5: the submitted source (call 4: the GPU tests' setup factored out after call 3;
# call 5: refuse_capture in namespace detail, the workspace overlap check without allocation), carried
# build: gpu-check tests.
set -uo pipefail
scripts/gpu-check.sh tests 2>&1 | tail -10
grep -h "stream-K quads planned\|subnormal instance in" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null | head -3
grep -E "^\[ +(OK|FAILED) +\] (CppWrapper|GpuErrors)" /tmp/w4a16-logs/test_gpu_pack.log
