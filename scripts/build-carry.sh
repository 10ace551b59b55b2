#!/usr/bin/env bash
# build-carry.sh -- builds here what a device call can carry: sm_90a only, no OpenBLAS (so nothing
# outside the CUDA toolkit is needed to load it), packed as .carry/build.tar.xz (name `.carry` in the
# device call's carry list). scripts/gpu-check.sh uses it when its source id matches the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
# One build at a time: two runs at once raced on build-carry/ and on the archive (fourteenth session).
mkdir -p build-carry .carry
exec 9>build-carry/.lock
flock 9
cmake -S . -B build-carry -G Ninja -DW4A16_CUDA_ARCHS="90a-real" -DW4A16_OPENBLAS=OFF -DW4A16_PTXAS_VERBOSE=ON \
  >/dev/null
ninja -C build-carry >build-carry/ptxas.log 2>&1 || { tail -30 build-carry/ptxas.log; exit 1; }
# ptxas.log holds only what this ninja run recompiled; the device's SASS step (STL/LDL) sees all.
grep -E "C75[0-9][0-9]" build-carry/ptxas.log || echo "ptxas: no C75xx performance warnings in the objects rebuilt now"
grep -B2 -E " [1-9][0-9]* bytes spill" build-carry/ptxas.log | grep -E "Compiling|spill" ||
  echo "ptxas: no spills in the objects rebuilt now"
scripts/source-id.sh >build-carry/SOURCE_ID
# Packed beside the build, then renamed into place: a device call that starts while this runs carries
# the previous, whole archive (its source id, which ab.sh and gpu-check.sh print, tells), never a
# truncated one (an archive packed during a call arrived cut short once: fourteenth session).
tar -cJf build-carry/build.tar.xz.part build-carry/SOURCE_ID build-carry/ptxas.log build-carry/w4a16 \
  build-carry/libw4a16.so* build-carry/tests/test_cpu build-carry/tests/test_gpu_* build-carry/tests/test_sm*
mv -f build-carry/build.tar.xz.part .carry/build.tar.xz
ls -la .carry/build.tar.xz
