#!/usr/bin/env bash
# Thirty-sixth session, call 1: (a) the submitted build 5a5eabc2 (.carry/build.tar.xz): GPU tests, SASS and the
# sanitizers, which had not run on the 96-token tile nor on Family.SanitizerSubset's three new sm90 cases;
# (b) the sm90 time model's grid with the 96- and 192-token tiles (the prepared 2026-11-28_s35_next_grid.sh, both
# of its passes' token counts in one pass: M = 72-384), probe build .carry/probe.tar.xz (s35_probe_grid.tar.xz,
# patch 2026-11-28_s35_split_grid.patch), until 560 s.
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests sass sanitize; echo "check done $SECONDS s"
mkdir -p /tmp/pb && tar -xJf .carry/probe.tar.xz -C /tmp/pb
B=/tmp/pb/build-carry/w4a16
SHAPES="8192:8192 6144:4096 4096:4096 3072:4096 8192:4096 5120:2048 8192:2048 6144:8192 3072:8192 4096:14336 10240:8192 14336:4096 28672:4096 57344:8192 8192:28672"
for s in $SHAPES; do
  left=$((565 - SECONDS)); [ $left -lt 20 ] && break
  W4A16_PROBE_GRID=1 timeout $left $B tune --backend sm90 --iters 20 -n ${s%:*} -k ${s#*:} -m 72,96,136,160,192,256,320,384 \
    --out /tmp/t.tsv 2>&1 | grep -E "PROBE|rror" | sed "s/^/p1 /" >>"$OUT/grid.txt"
  echo "p1 $s $SECONDS s"
done
wc -l "$OUT/grid.txt"
