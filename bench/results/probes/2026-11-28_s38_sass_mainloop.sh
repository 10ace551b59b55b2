#!/usr/bin/env bash
# The 64-token pair instance's two SHIFT forms (version 130), their mainloops side by side: the thirty-eighth
# session's first comparison (2026-11-28_s37_sass_shift.sh) found 24 more setup instructions in the SHIFT form and the
# same counts of every mainloop opcode, but its 40-line diff stopped before the mainloop. Here, for the fp16 whole-group
# symmetric instance (the one 6144x4096 and 8192^2 M=64 run) and its bf16 twin: the region from 60 instructions before
# the first HGMMA to 20 after the last, registers, predicates and branch targets masked; its length, the
# opcode-sequence diff (order only) and the masked diff. Run on the device (cuobjdump) against a build:
#   bench/results/probes/2026-11-28_s38_sass_mainloop.sh [build dir] > file
set -uo pipefail
B=${1:-build-carry}
so=$(ls "$B"/libw4a16.so.* | head -1)
T=${TMPDIR:-/tmp}/sass_mainloop
mkdir -p "$T"
cuobjdump -sass "$so" | awk -v dir="$T" '
  /Function : / { f = $3; out = ""; if (f ~ /sm90_w4a16_kernelILb[01]ELi1ELi64ELi128ELb0ELi1ELb1ELb1ELi[02]ELb[01]EEEv/) {
                    sub(/EEEv.*$/, "EEEv", f); out = dir "/" f ".sass" }; next }
  out != "" && /\/\*[0-9a-f]+\*\// { sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]*/, ""); sub(/[ \t]*;.*$/, ""); print > out }'
region() {  # the mainloop region of one listing, masked
  awk '{ l[NR] = $0 } /HGMMA/ { if (!lo) lo = NR; hi = NR }
       END { a = lo - 60; if (a < 1) a = 1; for (i = a; i <= hi + 20 && i <= NR; i++) print l[i] }' "$1" |
    sed -E 's/\bU?R[0-9]+\b/R/g; s/\bU?P[0-9]\b/P/g; s/(BRA|BRX|CALL\.REL[A-Z.]*|JMP)([^0-9]*)0x[0-9a-f]+/\1\2ADDR/g'
}
for f1 in "$T"/*Lb1EEEv.sass; do
  f0=${f1%Lb1EEEv.sass}Lb0EEEv.sass
  [ -f "$f0" ] || continue
  region "$f1" >"$f1.reg"; region "$f0" >"$f0.reg"
  echo "== $(basename "${f1%Lb1EEEv.sass}"): whole listing SHIFT=1 $(wc -l <"$f1") / SHIFT=0 $(wc -l <"$f0");" \
    "mainloop region $(wc -l <"$f1.reg") / $(wc -l <"$f0.reg"), HGMMA $(grep -c HGMMA "$f1.reg") / $(grep -c HGMMA "$f0.reg")"
  echo "-- opcode order (diff of the opcode sequence, predicates dropped; empty = same order):"
  diff <(awk '{o = ($1 ~ /^@/) ? $2 : $1; print o}' "$f1.reg") <(awk '{o = ($1 ~ /^@/) ? $2 : $1; print o}' "$f0.reg") |
    head -60 | sed 's/^/  /'
  echo "-- masked diff of the region (first 80 lines):"
  diff "$f1.reg" "$f0.reg" | head -80 | sed 's/^/  /'
done
