#!/usr/bin/env bash
# Fortieth session, call 8: the submitted source (after the review fixes: the shared send/receive helpers with PTX
# identical to call 6's build, the quads' 2^31 guard, the GPU test's gating) through scripts/gpu-check.sh tests sanitize.
set -uo pipefail
scripts/gpu-check.sh tests sanitize 2>&1 | tail -14
grep -h "stream-K quads\|pair instances without" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
