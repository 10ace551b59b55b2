#!/usr/bin/env bash
# PREPARED in the thirty-eighth session, NOT YET RUN (about 2.5 minutes). Carry .carry/build.tar.xz = the submitted
# source 428b4cd1 (/work/carry-archive/final_428b4cd14c2d17a1.tar.xz). Its kernels' PTX equals version 130's
# (c0da3880), which passed everything in the thirty-eighth session's call 1; what has not run on a GPU is the
# sanitizer subset's two forced 64-token pair cases (4104x2048 M = 72 / 96, both forms of the pair instance) and
# the suites of this exact build (call 7 ran f70a90a9, before those cases).
set -uo pipefail
scripts/gpu-check.sh tests sass sanitize >"$OUT/check.log" 2>&1
cp "$OUT/summary.txt" "$OUT/check_summary.txt"
