#!/usr/bin/env bash
# The 64-token tile's pair instances with and without the last-tile shift (version 130), side by side in SASS: per
# pair of kernels that differ only in SHIFT (the last template argument), the instruction count and the opcodes
# whose counts differ, then the first differing lines of the two listings with registers masked. Run on the device
# (cuobjdump) against a build (the cubin's names carry the parameter list after EEEv: cut there; the thirty-eighth
# session's first run wrote nothing because the file names kept it): bench/results/probes/2026-11-28_s37_sass_shift.sh [build dir] > file
set -uo pipefail
B=${1:-build-carry}
so=$(ls "$B"/libw4a16.so.* | head -1)
T=${TMPDIR:-/tmp}/sass_shift
mkdir -p "$T"
cuobjdump -sass "$so" | awk -v dir="$T" '
  /Function : / { f = $3; out = ""; if (f ~ /sm90_w4a16_kernelILb[01]ELi1ELi64ELi128ELb0ELi1ELb[01]ELb1ELi[0-9]ELb[01]EEEv/) {
                    sub(/EEEv.*$/, "EEEv", f); out = dir "/" f ".sass" }; next }
  out != "" && /\/\*[0-9a-f]+\*\// { sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]*/, ""); sub(/[ \t]*;.*$/, ""); print > out }'
for f1 in "$T"/*Lb1EEEv.sass; do
  f0=${f1%Lb1EEEv.sass}Lb0EEEv.sass
  [ -f "$f0" ] || continue
  echo "== $(basename "${f1%Lb1EEEv.sass}")  SHIFT=1: $(wc -l <"$f1") instructions, SHIFT=0: $(wc -l <"$f0")"
  join -a1 -a2 -e 0 -o 0,1.2,2.2 <(awk '{print $1}' "$f1" | sed 's/\..*//' | sort | uniq -c | awk '{print $2, $1}' | sort) \
    <(awk '{print $1}' "$f0" | sed 's/\..*//' | sort | uniq -c | awk '{print $2, $1}' | sort) |
    awk '$2 != $3 {printf "  %-10s SHIFT=1 %5d  SHIFT=0 %5d\n", $1, $2, $3}'
  diff <(sed -E 's/R[0-9]+/R/g; s/UR[0-9]+/UR/g; s/P[0-9]/P/g' "$f1") <(sed -E 's/R[0-9]+/R/g; s/UR[0-9]+/UR/g; s/P[0-9]/P/g' "$f0") |
    head -40 | sed 's/^/  /'
done
