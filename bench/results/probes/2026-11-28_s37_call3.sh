#!/usr/bin/env bash
# Thirty-seventh session, call 3: sweeps v67 of version 129 (the build of call 2, .carry/build.tar.xz), both families,
# fp16, with the sm90 zero-point gap check; the first full sweeps since v51 (sm90) and v48 (sm80).
set -uo pipefail
BENCH_FAMILIES="sm90 sm80" timeout 570 scripts/gpu-check.sh bench >"$OUT/check.log" 2>&1
echo "rc=$? at $SECONDS s"
