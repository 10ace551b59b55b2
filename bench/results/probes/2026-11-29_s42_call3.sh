#!/usr/bin/env bash
# Forty-second session, call 3: call 2 found the base pick at M = 513-1024 1.8% slower than the best tile on average
# (up to 15%: 8192x4096 M=832 t256 99.4 us against t160's 86.5; 6144x4096 M=576 t128 52.3 against coop_r256_t128's
# 44.8), and 6144x4096 M=4096 (a sweep miss, 0.911x) 6.6% slower than t192. More problems to fit and hold out a
# plan-priced pick above M = 512: w4a16 tune at M = 544-960 on 16 more shapes (3 in bf16), and M = 1536-8192.
set -uo pipefail
tar -xJf .carry/build.tar.xz
echo "source $(cat build-carry/SOURCE_ID)"
run() { local ms=$1 n=$2 k=$3; shift 3
  echo "# $* "; timeout 100 build-carry/w4a16 tune -m "$ms" -n "$n" -k "$k" --iters 15 --out /tmp/t.tsv "$@" 2>&1 | grep -v "^wrote"; }
{
for nk in "2048 4096" "5120 4096" "7168 4096" "9216 4096" "12288 4096" "16384 4096" "4096 8192" "6144 8192" \
          "3072 8192" "13824 5120" "5120 13824" "4096 2048" "8192 2048"; do run 544,640,768,960 $nk; done
for nk in "4096 4096" "11008 4096" "8192 8192"; do run 544,640,768,960 $nk --dtype bf16; done
} | tee "$OUT/tune_hi2.txt"
{
for nk in "6144 4096" "4096 4096" "8192 8192" "28672 4096" "4096 14336" "10240 8192"; do run 1536,2048,4096,8192 $nk; done
} | tee "$OUT/tune_large.txt"
