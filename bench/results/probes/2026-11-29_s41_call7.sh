#!/usr/bin/env bash
# Forty-first session, call 7: the review's fixes (the cluster-fit query only on the current device, no cudaSetDevice;
# the pick computed only where used; the unfitted tiles' >= 1024-of-K rule in the mid-M pick; test details) through
# gpu-check tests sanitize on the carried build.
set -uo pipefail
scripts/gpu-check.sh tests sanitize 2>&1 | tail -15
grep -h "stream-K quads\|cluster fixup launched\|subnormal instance\|pair instances without" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
