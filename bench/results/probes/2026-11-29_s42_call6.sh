#!/usr/bin/env bash
# Forty-second session, call 6: the submitted source after the docs review's final read (comments in heuristic.cpp
# only against call 5's c81daf91), the carried build: gpu-check tests.
set -uo pipefail
scripts/gpu-check.sh tests 2>&1 | tail -8
grep -h "subnormal instance in\|stream-K quads planned" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null
