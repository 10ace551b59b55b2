#!/usr/bin/env bash
# Nineteenth session: warp-state samples per SASS instruction (ncu source page, clocks free, densest sampling,
# one launch after 3) of the sm90 kernels of three plans after versions 77-78, to look for start/end costs like
# the one version 77 removed: 8192^2 M=128 (coop_r128_t128, cluster pair), M=256 (coop_r128_t128 whole, one
# wave of 128 CTAs), 4096x14336 M=16 (coop_r128_t16, split 4 through the workspace). CSVs to $OUT.
B=${B:-build-carry}
for shape in "128 8192 8192" "256 8192 8192" "16 4096 14336"; do
  read -r m n k <<<"$shape"
  tag=m${m}_n${n}_k${k}
  timeout 150 ncu --clock-control none --warp-sampling-interval 0 --section SourceCounters --section WarpStateStats \
    -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 -o "$OUT/$tag" -f \
    "$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 5 >/dev/null 2>&1
  ncu --import "$OUT/$tag.ncu-rep" --page source --print-source sass --csv >"$OUT/${tag}_sass.csv" 2>&1
  rm -f "$OUT/$tag.ncu-rep"
  gzip -f "$OUT/${tag}_sass.csv"
done
ls -la "$OUT"
