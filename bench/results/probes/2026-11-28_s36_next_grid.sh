#!/usr/bin/env bash
# PREPARED in the thirty-sixth session, NOT YET RUN: the sm90 time model's grid with the 160-token tile (version 127)
# besides the 96- and 192-token ones, for the refit that could replace sm90_pick's margin, slice guard and 256-row rule.
# Probe build: the unchanged patch probes/2026-11-28_s35_split_grid.patch applied on 1f936d5 (kernels and picks as the
# submitted source), archived as /work/carry-archive/s36_probe_grid.tar.xz; copy it to .carry/probe.tar.xz
# (build-carry/{w4a16,SOURCE_ID}). W4A16_PROBE_GRID makes `w4a16 tune` time each cooperative one-per-SM tile of 64+
# tokens at its own plan ("split 0") and at every whole-tile split that stays in one wave, each verified first (t64
# only at M <= 128, t96 only at M = 65-128). fp16, 20 iterations, lines "PROBE M N K config split us [PICK]". The
# thirty-sixth session's grid (M = 72-384 without 136/176/288 tiles of 160) took about 200 s; this one adds M = 176 and
# 288 and the 160-token tile: expect ~300 s. Then: python3 probes/2026-11-28_s34_fit_time_model.py GRID (its CFG holds
# t160), probes/2026-11-28_s36_eval_refit_picks.py on the new grid (edit its load() path), and time the moved picks
# interleaved (scripts/ab.sh) before changing sm90_pick.
set -uo pipefail
mkdir -p /tmp/pb && tar -xJf .carry/probe.tar.xz -C /tmp/pb
B=/tmp/pb/build-carry/w4a16
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
SHAPES="8192:8192 6144:4096 4096:4096 3072:4096 8192:4096 5120:2048 8192:2048 6144:8192 3072:8192 4096:14336 10240:8192 14336:4096 28672:4096 57344:8192 8192:28672"
for s in $SHAPES; do
  left=$((565 - SECONDS)); [ $left -lt 20 ] && break
  W4A16_PROBE_GRID=1 timeout $left $B tune --backend sm90 --iters 20 -n ${s%:*} -k ${s#*:} \
    -m 72,96,136,160,176,192,256,288,320,384 --out /tmp/t.tsv 2>&1 | grep -E "PROBE|rror" | sed "s/^/p1 /" >>"$OUT/grid.txt"
  echo "p1 $s $SECONDS s"
done
wc -l "$OUT/grid.txt"
