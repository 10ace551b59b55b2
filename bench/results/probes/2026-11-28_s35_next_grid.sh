#!/usr/bin/env bash
# PREPARED in the thirty-fifth session, NOT YET RUN: the sm90 time model's grid again, now with the 96- and
# 192-token tiles (probe patch probes/2026-11-28_s35_split_grid.patch on e23c2ec: W4A16_PROBE_SPLIT forces a
# modelled tile's whole-tile split with neither stream-K nor the split tail; W4A16_PROBE_GRID makes `w4a16 tune`
# time each cooperative one-per-SM tile of 64+ tokens at its plan ("split 0") and at every split that stays in one
# wave, each verified first; t64 only at M <= 128, t96 only at M = 65-128). Carry: .carry/probe.tar.xz, a copy
# of /work/carry-archive/s35_probe_grid.tar.xz (build-carry/{w4a16,SOURCE_ID}). fp16, 20 iterations, lines
# "PROBE M N K config split us [PICK]". Then rerun the fitter on the new grid files (python3
# probes/2026-11-28_s34_fit_time_model.py GRID_FILE..., whose table holds both tiles) and time the moved picks
# interleaved (scripts/ab.sh) before changing kKbUs / kSplitUs / kNewTileMargin.
set -uo pipefail
mkdir -p /tmp/pb && tar -xJf .carry/probe.tar.xz -C /tmp/pb
B=/tmp/pb/build-carry/w4a16
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
SHAPES="6144:4096 4096:4096 3072:4096 8192:4096 5120:2048 8192:2048 6144:8192 3072:8192 8192:8192 4096:14336 10240:8192 14336:4096 28672:4096 57344:8192 8192:28672"
run() { W4A16_PROBE_GRID=1 timeout 100 $B tune --backend sm90 --iters 20 -n "$1" -k "$2" -m "$3" --out /tmp/t.tsv 2>&1 | grep -E "PROBE|rror" | sed "s/^/$4 /" >>"$OUT/grid.txt"; }
for s in $SHAPES; do [ $SECONDS -gt 540 ] && break; run ${s%:*} ${s#*:} 72,96,136,160,192 p1; echo "p1 $s $SECONDS s"; done
wc -l "$OUT/grid.txt"
# A second call: the same with -m 256,320,384 (and, time left, the first pass in reverse shape order).
