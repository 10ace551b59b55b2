#!/usr/bin/env bash
# Thirty-second session: (1) the submitted build (new) against the thirty-first session's (old) on sm80 tiles that
# versions 116-118 touch only through the wait's two compares (M >= 64) and on bf16 decode; (2) probe gemvp (the gemv
# loop without the symmetric zero pair's broadcasts and with one broadcast per whole-group pair) against new.
set -uo pipefail
tar -xJf .carry/build.tar.xz
cat >/tmp/c1 <<'C'
64 8192 8192 --backend sm80
128 8192 8192 --backend sm80
256 8192 8192 --backend sm80
64 28672 4096 --backend sm80
1024 8192 8192 --backend sm80
1 57344 8192 --backend sm80 --dtype bf16
16 28672 4096 --backend sm80 --dtype bf16
C
AB_RAW=$OUT/raw1.txt scripts/ab.sh 2 </tmp/c1 >"$OUT/ab_wide.txt" 2>&1
cat >/tmp/c2 <<'C'
1 4096 4096 --backend sm80
2 4096 4096 --backend sm80
1 4096 14336 --backend sm80
1 6144 4096 --backend sm80
1 4096 4096 --backend sm90
2 4096 4096 --backend sm90
1 4096 4096 --backend sm90 --zeros
C
AB_SIDES="new:new gemvp:gemvp" AB_RAW=$OUT/raw2.txt scripts/ab.sh 3 </tmp/c2 >"$OUT/ab_gemvp.txt" 2>&1
cat "$OUT/ab_wide.txt" "$OUT/ab_gemvp.txt"
