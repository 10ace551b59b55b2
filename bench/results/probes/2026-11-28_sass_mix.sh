#!/usr/bin/env bash
# sass_mix.sh BINARY REGEX -- per kernel whose mangled name matches REGEX: the instruction count and the
# count of each opcode named below (HFMA2_sel: HFMA2 reading a register half broadcast, .H0_H0/.H1_H1).
cuobjdump -sass "$1" | awk -v re="$2" '
  /Function :/ { f = $3; keep = (f ~ re) } 
  keep && /^ +\/\*[0-9a-f]+\*\// {
    n[f]++
    for (i = 2; i <= NF; i++) if ($i ~ /^[A-Z][A-Z0-9]+(\.|$)/) { split($i, a, "."); op = a[1]; break }
    c[f, op]++
    if (op == "HFMA2" && $0 ~ /H[01]_H[01]/) c[f, "HFMA2_sel"]++
  }
  END { for (f in n) { s = f; sub(/_ZN5w4a1617/, "", s); sub(/EEEv.*/, "", s)
        printf "%s total %d", s, n[f]
        split("PRMT HFMA2 HFMA2_sel HADD2 LOP3 SHF LDS HGMMA", ops, " ")
        for (j = 1; j <= 8; j++) printf " %s %d", ops[j], c[f, ops[j]]
        printf "\n" } }' | sort
