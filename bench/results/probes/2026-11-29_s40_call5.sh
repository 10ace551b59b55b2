#!/usr/bin/env bash
# Fortieth session, call 5: version 135b, the stream-K quads (T whole tiles as 4T/3 CTAs of 3/4 of a tile, reducing
# through distributed shared memory in clusters of four; Plan::cluster == 4, sm90::quad_reduce). .carry/build.tar.xz is
# its build (source f901cc3f). 1. A smoke run (a hang would burn the call): 6144x4096 M=256, both dtypes. 2. A/B in one
# build, 3 interleaved repeats: the quads, the same units through the workspace (W4A16_CLUSTER_REDUCE=0) and whole tiles
# (W4A16_QUADS=0, the submitted source's plans) on the plans the rule moves (the listing in the fortieth session's
# section) and one control (28672x4096 M=64, a plan without quads). 3. scripts/gpu-check.sh tests sass sanitize.
set -uo pipefail
tar -xJf .carry/build.tar.xz
for dt in fp16 bf16; do
  timeout 30 build-carry/w4a16 bench -m 256 -n 6144 -k 4096 --dtype $dt --iters 20 2>&1 | tee -a "$OUT/smoke.txt" | grep -E "^sm90|FAIL|error"
  rc=${PIPESTATUS[0]}
  [ "$rc" != 0 ] && { echo "smoke rc=$rc: stopping"; exit 1; }
done
AB_SIDES="quads:new skws:new:W4A16_CLUSTER_REDUCE=0 whole:new:W4A16_QUADS=0" AB_RAW="$OUT/ab_raw_quads.txt" \
  timeout 240 scripts/ab.sh 3 < bench/results/probes/2026-11-29_s40_quads_cases.txt | tee "$OUT/ab_quads.txt"
scripts/gpu-check.sh tests sass sanitize 2>&1 | tail -40
