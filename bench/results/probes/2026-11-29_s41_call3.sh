#!/usr/bin/env bash
# Forty-first session, call 3: call 2's tune found the 96- and 64-token tiles 12-28% faster than the picked 128-token
# tile at mid M on N = 3072-4608 (e.g. 4608x4096 M=192 t64 15.9 us against t128's quads 22.2; cuBLAS 19.4 in call 1),
# where sm90_pick keeps t64 to M <= 128 and t96 to M = 65-96. Map it: w4a16 tune (every configuration, each with the
# heuristic's plan for it) on mid shapes at M = 160-512 and the sweep's M = 256 shapes.
set -uo pipefail
tar -xJf .carry/build.tar.xz
echo "source $(cat build-carry/SOURCE_ID)"
run() { timeout "$1" build-carry/w4a16 tune -m "$2" -n "$3" -k "$4" --iters 15 --out /tmp/t.tsv 2>&1 | grep -v "^wrote"; }
for nk in "2304 4096" "3072 4096" "3584 4096" "4096 4096" "4608 4096" "5376 4096" "6144 4096"; do
  run 60 160,224,256,320,384,448,512 $nk
done | tee "$OUT/tune_mid.txt"
for nk in "8192 4096" "4096 14336" "8192 8192" "10240 8192" "28672 4096"; do
  run 50 192,256,384 $nk
done | tee "$OUT/tune_m256.txt"
