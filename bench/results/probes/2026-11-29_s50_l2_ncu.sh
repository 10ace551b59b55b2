#!/usr/bin/env bash
# Fiftieth session, call 2: the decode tile's L2 traffic per DRAM byte against a plain copy kernel's (H200,
# version 147). Call 1 found coop_r128_t8 at 57344x8192 M=1 with L2 throughput 84.7% of peak at DRAM 70.1%.
# ncu --set full (clocks free) on one launch of the kernel at 57344x8192 M=1 and 8192^2 M=1, and on the bench's
# copy kernel (copy16_kernel, 512 MiB read + 512 MiB written); raw metrics as CSV, everything in $OUT/l2.tgz.
set -uo pipefail
B=${B:-build-carry}
[ -x "$B/w4a16" ] || tar -xJf .carry/build.tar.xz
cd "$OUT"
for shape in "1 57344 8192" "1 8192 8192"; do
  read -r m n k <<<"$shape"
  tag=m${m}_n${n}_k${k}
  timeout 240 ncu --clock-control none --set full -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 -o "$tag" -f \
    "$OLDPWD/$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 5 >/dev/null 2>&1
  ncu --import "$tag.ncu-rep" --page raw --csv >"${tag}_raw.csv" 2>&1
  ncu --import "$tag.ncu-rep" --page details >"${tag}_details.txt" 2>&1
  rm -f "$tag.ncu-rep"
done
timeout 240 ncu --clock-control none --set full -k regex:copy16 --launch-skip 2 --launch-count 1 -o copy -f \
  "$OLDPWD/$B/w4a16" bench -m 1 -n 4096 -k 4096 --backend sm90 --warmup 1 --iters 1 >/dev/null 2>&1
ncu --import copy.ncu-rep --page raw --csv >copy_raw.csv 2>&1
ncu --import copy.ncu-rep --page details >copy_details.txt 2>&1
rm -f copy.ncu-rep
tar -czf l2.tgz *_raw.csv *_details.txt && rm -f *_raw.csv *_details.txt
ls -la
