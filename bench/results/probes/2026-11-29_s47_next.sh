#!/usr/bin/env bash
# Prepared in the forty-seventh session; RUN in the forty-eighth (call 1, results in docs/PERFORMANCE.md row 147: adopted as version 147).
# The candidate: bench/results/probes/2026-11-29_s47_stmatrix_epilogue.patch (the sm90 epilogue writes its
# [token][16 rows] buffer with stmatrix .trans, two 8-token groups per x4, instead of one 2-byte st.shared per
# element, with an XOR of the 8-row halves so a matrix's rows fall in distinct banks; the rounding is the same
# per element, so Y should be bitwise unchanged). The timestamp probe of the same session
# (2026-11-29_s47_timestamps.patch, ..._s47_ts_*.txt) read the epilogue of a 128x256 tile at ~3 us of each
# ~48.5 us unit (6%), the tensor pipe idle meanwhile; this cuts its shared-memory store instructions 8x.
# ptxas (sm_90a, compiled here): registers and spill bytes of all 232 kernel entries unchanged.
#
# Before the call, on the build machine (the forty-seventh session left .carry/build.tar.xz built from the patched
# tree, source id 4558a74645b46779, and .carry/s46.tar.xz = the submitted CLI, c62865a0; if either is gone or differs):
#   git apply bench/results/probes/2026-11-29_s47_stmatrix_epilogue.patch && scripts/build-carry.sh
#   keep the submitted CLI as .carry/<old>.tar.xz (as .carry/s46.tar.xz was made: build-carry/SOURCE_ID + w4a16)
# Device call (carry [".carry/build.tar.xz", ".carry/s46.tar.xz"]), about 5 minutes:
#   bash bench/results/probes/2026-11-29_s47_next.sh
# Correctness first (every configuration, both dtypes; tests compare against the CPU reference), then 5
# interleaved repeats against the submitted build. If it gains, the sanitizers (synccheck: the __syncwarp
# around stmatrix) and the SASS check follow before it is adopted.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
scripts/gpu-check.sh tests sass
cp "$OUT/summary.txt" "$OUT/summary_stmatrix_check.txt"
AB_SIDES="old:${AB_OLD:-s46} new:new" AB_RAW="$OUT/ab_raw_stmatrix.txt" timeout 400 scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s47_next_cases.txt | tee "$OUT/ab_stmatrix.txt"
