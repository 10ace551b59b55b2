#!/usr/bin/env bash
# The fixup's counter instructions in SASS, old build against new: for each CLI given, the lines
# around ATOMG / ATOM / RED in one sm90 decode kernel and one sm80 decode kernel (forty-fifth session).
#   bench/results/probes/2026-11-29_s45_atom_sass.sh OUT BIN...
out=$1; shift
for bin in "$@"; do
  name=$(basename "$(dirname "$(dirname "$bin")")")
  cuobjdump -sass "$bin" | awk -v out="$out/sass_$name" '
    /Function :/ { fn = $3; keep = (fn ~ /sm80_w4a16_kernelILb0ELi4ELi1ELi1ELi1ELi128ELi1ELi4ELi0ELb0/ ||
                                   fn ~ /sm90_w4a16_kernelILb0ELi1ELi8ELi128ELb0ELi1ELb0ELb0ELi0ELb1ELb0E/) }
    keep { print > (out "_" substr(fn, 1, 60) ".txt") }'
  for f in "$out"/sass_"$name"_*.txt; do
    echo "== $f: $(grep -c '' "$f") lines"
    grep -n -B12 -A16 -E "ATOMG|ATOM\.|RED\." "$f" | head -120
  done
done
