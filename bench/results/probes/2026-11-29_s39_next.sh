#!/usr/bin/env bash
# PREPARED in the thirty-ninth session, NOT YET RUN (about 5-6 minutes on the device). Before the call, on the build
# machine: scripts/build-carry.sh (about 4 minutes; .carry/build.tar.xz = the submitted source) and carry [".carry"].
# 1. The candidate is built here on the device from bench/results/probes/2026-11-29_s39_pairs_noshift_rest.patch (the
#    no-shift pair form also for the 96-token pairs and fp16's 128-token pairs; the CLI only, sm_90a, every core) and
#    packed as .carry/v135.tar.xz in build-carry/ layout for scripts/ab.sh.
# 2. It runs against the submitted build on the points version 131's 3-repeat A/B read as small gains (the 96-token
#    pairs -1.4 to +0.3%, fp16 4096^2 M=256 -2.4%) and on the one it read as a loss (fp16 8192^2 M=128 +2.2%), with
#    zeros and two controls whose kernels are the same in both builds (6144x4096 M=64: the 64-token pairs; 28672x4096
#    M=64: whole 64-token tiles); 5 interleaved repeats. If the 96-token pairs gain (or the fp16 128-token pairs at
#    M = 192-256, which would need a rule by M, since 8192^2 M=128 lost), the launcher's condition follows and the test
#    in tests/gpu/test_sm90_w4a16.cpp (ShiftedLastTokenTile's noshift expectation) with it.
set -uo pipefail
t0=$SECONDS
P=${TMPDIR:-/tmp}/probe-v135
rm -rf "$P" && mkdir -p "$P" && cp -r CMakeLists.txt cmake include src tools tests examples scripts "$P"/ &&
  (cd "$P" && { patch -p1 < "$OLDPWD/bench/results/probes/2026-11-29_s39_pairs_noshift_rest.patch" ||
                git apply "$OLDPWD/bench/results/probes/2026-11-29_s39_pairs_noshift_rest.patch"; } &&
   cmake -S . -B build-carry -G Ninja -DCMAKE_BUILD_TYPE=Release -DW4A16_CUDA_ARCHS=90a-real -DW4A16_OPENBLAS=OFF \
     >"$OUT/v135_cmake.log" 2>&1 && ninja -C build-carry w4a16 >"$OUT/v135_build.log" 2>&1 &&
   scripts/source-id.sh >build-carry/SOURCE_ID) || { echo "candidate build FAILED"; tail -20 "$OUT/v135_build.log"; exit 1; }
mkdir -p .carry && tar -cJf .carry/v135.tar.xz -C "$P" build-carry/SOURCE_ID build-carry/w4a16
echo "candidate built in $((SECONDS - t0)) s, source $(cat "$P/build-carry/SOURCE_ID")"
AB_SIDES="v134:new v135:v135" AB_RAW="$OUT/ab_raw_v135.txt" timeout $((560 - SECONDS)) scripts/ab.sh 5 \
  < bench/results/probes/2026-11-29_s39_next_cases.txt | tee "$OUT/ab_v135.txt"
