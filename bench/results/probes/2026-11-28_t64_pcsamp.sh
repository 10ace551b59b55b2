#!/usr/bin/env bash
# Eighteenth session: where the 64-token tile's consumers wait at M = 64 (ncu warp-state sampling per SASS
# instruction, clocks free, one launch after 3). Writes ncu's source page (SASS, CSV) and details page to $OUT.
B=${B:-build-carry}
for shape in "64 8192 8192" "64 4096 14336"; do
  read -r m n k <<<"$shape"
  tag=m${m}_n${n}_k${k}
  timeout 200 ncu --clock-control none --section SourceCounters --section WarpStateStats --section SpeedOfLight \
    -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 -o "$OUT/$tag" -f \
    "$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 5 >/dev/null 2>&1
  ncu --import "$OUT/$tag.ncu-rep" --page source --print-source sass --csv >"$OUT/${tag}_sass.csv" 2>&1
  ncu --import "$OUT/$tag.ncu-rep" --page details >"$OUT/${tag}_details.txt" 2>&1
  rm -f "$OUT/$tag.ncu-rep"
  gzip -f "$OUT/${tag}_sass.csv"
done
ls -la "$OUT"
