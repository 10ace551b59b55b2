#!/usr/bin/env bash
# Thirty-fourth session, call 2: coop_r256_t128 at every whole-tile split that stays in one wave (and at its
# plan, "split 0"), fp16 M = 64-256 on the 15 shapes of call 1, two passes (the second in reverse shape
# order), with the probe build of probes/2026-11-28_s34_split_grid.patch (W4A16_PROBE_ONLY limits the grid to
# one configuration). Then whether a plan and the same plan forced (W4A16_PROBE_SPLIT=1) time alike when
# interleaved: call 1 timed 128-token tiles at 8192^2 and 8192x28672 M=256 7-12% faster at their plan,
# which was timed first in its problem, than forced to the same split 1.
set -uo pipefail
mkdir -p /tmp/pb && tar -xJf .carry/probe.tar.xz -C /tmp/pb
B=/tmp/pb/build-carry/w4a16
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
SHAPES="6144:4096 4096:4096 3072:4096 8192:4096 5120:2048 8192:2048 6144:8192 3072:8192 8192:8192 4096:14336 10240:8192 14336:4096 28672:4096 57344:8192 8192:28672"
run() { W4A16_PROBE_ONLY=coop_r256_t128 W4A16_PROBE_GRID=1 timeout 100 $B tune --backend sm90 --iters 20 -n "$1" -k "$2" -m 64,72,96,128,160,192,256 --out /tmp/t.tsv 2>&1 | grep -E "PROBE|rror" | sed "s/^/$3 /" >>"$OUT/grid.txt"; }
for s in $SHAPES; do run ${s%:*} ${s#*:} p1; echo "p1 $s $SECONDS s"; done
for s in $(tr ' ' '\n' <<<"$SHAPES" | tac); do run ${s%:*} ${s#*:} p2; echo "p2 $s $SECONDS s"; done
wc -l "$OUT/grid.txt"
printf '256 8192 8192 --config coop_r128_t128\n256 8192 28672 --config coop_r128_t128\n' |
  AB_SIDES="plan:new forced1:probe:W4A16_PROBE_SPLIT=1" AB_RAW="$OUT/ab_raw.txt" scripts/ab.sh 4 | tee "$OUT/ab.txt"
