#!/usr/bin/env bash
# Forty-second session, call 1. 1. The submitted source (822fbd91: the forty-first session's review fixes,
# which ran on no GPU) through gpu-check tests sanitize sass. 2. w4a16 tune outside the mid-M pick's fit
# (the fit was fp16, g=128, symmetric, K = 4096/8192/14336): other K, bf16, g = 32/64/per-channel, zero
# points, large N, at M = 160-512. Every configuration's time beside its heuristic plan, to price the
# model's picks offline against the best tile.
set -uo pipefail
scripts/gpu-check.sh tests sanitize sass 2>&1 | tail -16
grep -h "stream-K quads\|cluster fit\|quad_clusters" /tmp/w4a16-logs/test_sm90_w4a16.log 2>/dev/null | head -5
run() { local ms=$1 n=$2 k=$3; shift 3
  echo "# $* "; timeout 60 build-carry/w4a16 tune -m "$ms" -n "$n" -k "$k" --iters 15 --out /tmp/t.tsv "$@" 2>&1 | grep -v "^wrote"; }
{
for nk in "4096 2048" "4096 3072" "3072 3072" "6144 3072" "5120 5120" "4096 11008"; do run 160,256,384,512 $nk; done
for nk in "3072 4096" "4096 4096" "4608 4096" "2304 4096"; do run 160,224,320,448 $nk --dtype bf16; done
for g in 32 64 channel; do run 192,320,448 4096 4096 --group $g; run 192,320,448 3072 4096 --group $g; done
run 192,320,448 4096 4096 --zeros; run 192,320,448 3072 4096 --zeros
run 192,320,448 4096 4096 --zeros --dtype bf16
for nk in "11008 4096" "14336 4096" "12288 4096"; do run 160,320,512 $nk; done
} | tee "$OUT/tune_s42.txt"
