#!/usr/bin/env bash
# Fiftieth session, call 1: what the sm90 decode tiles' consumers issue per k-block on the H200 (version 147).
# ncu's source page (SASS with executed-instruction counts and warp-state samples per instruction, clocks
# free, one launch after 3) for the decode plans of 8192^2 M=1 (coop_r128_t8, cluster pairs), 57344x8192 M=1
# (coop_r128_t8, stream-K) and 8192^2 M=16 (coop_r128_t16), plus the plain SASS listing of the fp16 t8/t16
# instances. Run on the device from the repository root, carried build unpacked:
#   bash bench/results/probes/2026-11-29_s50_decode_sass.sh
set -uo pipefail
B=${B:-build-carry}
[ -x "$B/w4a16" ] || tar -xJf .carry/build.tar.xz
so=$(ls "$B"/libw4a16.so.* | head -1)
cuobjdump -sass "$so" | awk -v dir="$OUT" '
  /Function : / { f = $3; out = ""; if (f ~ /sm90_w4a16_kernelILb0ELi1ELi(8|16)ELi128ELb0ELi1ELb1EL/) {
                    sub(/EEEv.*$/, "EEEv", f); out = dir "/" f ".sass" }; next }
  out != "" && /\/\*[0-9a-f]+\*\// { print > out }'
ls "$OUT"/*.sass | head -20
for shape in "1 8192 8192" "1 57344 8192" "16 8192 8192"; do
  read -r m n k <<<"$shape"
  tag=m${m}_n${n}_k${k}
  "$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 20 2>&1 | tail -3
  timeout 200 ncu --clock-control none --section SourceCounters --section WarpStateStats --section SpeedOfLight \
    --section LaunchStats -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 -o "$OUT/$tag" -f \
    "$B/w4a16" bench -m "$m" -n "$n" -k "$k" --backend sm90 --warmup 5 --iters 5 >/dev/null 2>&1
  ncu --import "$OUT/$tag.ncu-rep" --page source --print-source sass --csv >"$OUT/${tag}_sass.csv" 2>&1
  ncu --import "$OUT/$tag.ncu-rep" --page details >"$OUT/${tag}_details.txt" 2>&1
  rm -f "$OUT/$tag.ncu-rep"
  gzip -f "$OUT/${tag}_sass.csv"
done
gzip -f "$OUT"/*.sass
ls -la "$OUT"
