#!/usr/bin/env bash
# Thirty-fourth session, call 1: the sm90 time model's split costs, refit on the H200. A probe build
# (probes/2026-11-28_s34_split_grid.patch on 5137409c: W4A16_PROBE_SPLIT forces a modelled tile's whole-tile
# split, with neither stream-K nor the split tail; W4A16_PROBE_GRID makes `w4a16 tune` time each modelled
# tile at its plan ("split 0") and at every split that stays in one wave, plus coop_r256_t128 and the
# heuristic's own pick, each verified first) over fp16 M = 72-256 on 15 shapes. Pass 2 repeats in reverse
# shape order while time is left. Lines "PROBE M N K config split us [PICK]".
set -uo pipefail
mkdir -p /tmp/pb && tar -xJf .carry/probe.tar.xz -C /tmp/pb
B=/tmp/pb/build-carry/w4a16
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
SHAPES="6144:4096 4096:4096 3072:4096 8192:4096 5120:2048 8192:2048 6144:8192 3072:8192 8192:8192 4096:14336 10240:8192 14336:4096 28672:4096 57344:8192 8192:28672"
run() { W4A16_PROBE_GRID=1 timeout 100 $B tune --backend sm90 --iters 20 -n "$1" -k "$2" -m 72,96,128,160,192,256 --out /tmp/t.tsv 2>&1 | grep -E "PROBE|rror" | sed "s/^/$3 /" >>"$OUT/grid.txt"; }
for s in $SHAPES; do run ${s%:*} ${s#*:} p1; echo "p1 $s $SECONDS s"; done
for s in $(tr ' ' '\n' <<<"$SHAPES" | tac); do
  [ $SECONDS -gt 470 ] && break
  run ${s%:*} ${s#*:} p2; echo "p2 $s $SECONDS s"
done
wc -l "$OUT/grid.txt"
