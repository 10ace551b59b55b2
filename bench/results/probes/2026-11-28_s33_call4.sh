#!/usr/bin/env bash
# Thirty-third session, call 4: `w4a16 tune` (every sm90 configuration, each with the heuristic's split for it, one pass,
# 20 iterations, weights rotated past L2) on the fp16 points nearest their issue-3 targets, to see whether the heuristic
# leaves a faster configuration unpicked; the heuristic's own choice printed beside each by `bench` (one run).
set -uo pipefail
tar -xJf .carry/build.tar.xz
B=build-carry/w4a16
t() { timeout 120 $B tune --backend sm90 --iters 20 --out "$OUT/tune.tsv" "$@" 2>&1 | tee -a "$OUT/tune.txt"; }
t -n 8192 -k 8192 -m 1,4,16,64,128,256
t -n 6144 -k 4096 -m 128,256
t -n 10240 -k 8192 -m 64,128,256
t -n 28672 -k 4096 -m 64,128
t -n 4096 -k 14336 -m 16,64,128
t -n 8192 -k 28672 -m 128
t -n 57344 -k 8192 -m 256
