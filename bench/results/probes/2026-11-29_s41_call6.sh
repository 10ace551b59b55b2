#!/usr/bin/env bash
# Forty-first session, call 6: call 5's one failure (Sm90.ClusterFixupMatchesWorkspaceFixup at m=200 n=4104: with the
# cluster fixup off the mid-M pick took another tile, so the test compared two tiles) fixed in the test (the planned
# configuration on both sides); the library is call 5's. The sm90 suite and the CPU suite on the carried build.
set -uo pipefail
tar -xJf .carry/build.tar.xz
echo "source $(cat build-carry/SOURCE_ID)"
build-carry/tests/test_sm90_w4a16 2>&1 | tee "$OUT/test_sm90.log" | grep -E "^\[  (PASSED|FAILED|SKIPPED) |FAILED TEST|Failure|differ|planned for|launched for|subnormal instance|without the shift" | head -30
build-carry/tests/test_cpu 2>&1 | tail -3
