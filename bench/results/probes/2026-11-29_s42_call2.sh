#!/usr/bin/env bash
# Forty-second session, call 2: call 1 found the mid-M pick (M = 129-512) within 3.9% of the best tile on 76 problems
# outside its fit. Above it (M = 513-1023, the token counts of chunked prefill and large decode batches) the base
# pick runs unchecked: w4a16 tune at M = 576-1024 on 13 shapes, 6144x4096 (the sweep's M >= 1024 miss) up to
# M = 4096, and the decode points (M = 1/4/16) that miss 3.4x cuBLAS.
set -uo pipefail
tar -xJf .carry/build.tar.xz
echo "source $(cat build-carry/SOURCE_ID)"
run() { local ms=$1 n=$2 k=$3; shift 3
  echo "# $* "; timeout 90 build-carry/w4a16 tune -m "$ms" -n "$n" -k "$k" --iters 15 --out /tmp/t.tsv "$@" 2>&1 | grep -v "^wrote"; }
{
for nk in "3072 4096" "4096 4096" "6144 4096" "8192 4096" "11008 4096" "14336 4096" "5120 5120" "4096 11008" \
          "4096 14336" "8192 8192" "10240 8192" "28672 4096" "2304 4096"; do run 576,704,832,1024 $nk; done
run 1536,2048,4096 6144 4096
} | tee "$OUT/tune_hi.txt"
{
for nk in "4096 4096" "28672 4096" "4096 14336" "8192 8192"; do run 1,4,16 $nk; done
} | tee "$OUT/tune_decode.txt"
