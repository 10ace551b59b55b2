#!/usr/bin/env bash
# Twenty-seventh session: why the fp16 16-token tile with zero points is 5% slower than symmetric at
# 8192x8192 M=16 (split-K) but only ~2% on the long-K shapes. Per shape and mode: ncu's source page
# (SASS with per-instruction executed counts and warp-state samples, CSV) and details page, one launch
# after 3, clocks free. Then the kernels' whole SASS (the 16-token fp16 instances) for offline diffing.
B=${B:-build-carry}
P=${PROBE_OUT:-$OUT}; mkdir -p "$P"
for shape in "16 8192 8192" "16 57344 8192"; do
  for z in "" "--zeros"; do
    read -r m n k <<<"$shape"
    tag=m${m}_n${n}_k${k}${z:+_zeros}
    timeout 200 ncu --clock-control none --section SourceCounters --section WarpStateStats --section SpeedOfLight \
      --section LaunchStats -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 -o "$P/$tag" -f \
      "$B/w4a16" bench -m "$m" -n "$n" -k "$k" $z --backend sm90 --warmup 5 --iters 5 >/dev/null 2>&1
    ncu --import "$P/$tag.ncu-rep" --page source --print-source sass --csv 2>&1 | xz -6 >"$P/${tag}_sass.csv.xz"
    ncu --import "$P/$tag.ncu-rep" --page details >"$P/${tag}_details.txt" 2>&1
    rm -f "$P/$tag.ncu-rep"
  done
done
so=$(ls "$B"/libw4a16.so.* | head -1)
cuobjdump -sass "$so" | awk '/Function :/ {keep = ($3 ~ /sm90_w4a16_kernelILb0ELi1ELi16E/)} keep' | xz -6 >"$P/sass_fp16_t16.txt.xz"
ls -la "$P"
