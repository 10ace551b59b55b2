#!/bin/bash
# Counts, in three sm90 kernels (fp16 t64, t8, t128, whole groups; SASS_KERNELS names others), the SASS instructions that show
# whether the mainloop's wgmma descriptors stay on the uniform datapath (R2UR: moved from vector
# registers; UIADD3.64: computed in uniform ones), for each carried build named: old, new, ...
# Usage: bench/results/probes/2026-11-28_sassdiff.sh NAME...   (.carry/NAME.tar.xz; "new" = build.tar.xz)
set -u
for side in "$@"; do
  dir=/tmp/sass-$side && mkdir -p $dir
  tar -xJf .carry/$([ $side = new ] && echo build || echo $side).tar.xz -C $dir
  so=$(ls $dir/build-carry/libw4a16.so* | head -1)
  for k in ${SASS_KERNELS:-ILb0ELi1ELi64ELi128ELb0ELi1ELb1E ILb0ELi1ELi8ELi128ELb0ELi1ELb1E ILb0ELi1ELi128ELi64ELb0ELi1ELb1E}; do
    f=${OUT:-/tmp}/sass_${side}_$k.txt
    cuobjdump -sass -fun "_ZN5w4a1617sm90_w4a16_kernel${k}EEv14CUtensorMap_stS1_S1_S1_NS_10Sm90ParamsE" "$so" >$f 2>&1
    echo "$side $k: $(grep -c '^ */\*[0-9a-f]*\*/' $f) instructions, R2UR $(grep -c R2UR $f), UIADD3.64 $(grep -c UIADD3.64 $f), HGMMA $(grep -c HGMMA $f)"
  done
done
