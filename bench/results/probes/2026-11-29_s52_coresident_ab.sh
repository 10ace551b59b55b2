#!/usr/bin/env bash
# Fifty-second session, call 2: does a decode kernel that can share an SM with the previous launch's CTA
# start sooner? The 8-token tile (coop_r128_t8: ~200 KiB of shared memory, 384 x 168 registers) holds a
# whole SM, so under PDL the next launch's CTAs wait for this one's CTAs to leave their SMs; the
# two-per-SM tile (coop_r128_t8_x2: KB = 64, 16 stages, 104-register consumers) fits beside one.
# Sides: base = the heuristic's plan; x2 = coop_r128_t8_x2 forced with the split that gives the same CTA
# count as base (W4A16_PROBE_SPLIT); x2pad = the same with its shared memory padded to 150000 B so two
# cannot share an SM (W4A16_PROBE_SMEM). x2 - x2pad is what sharing buys; base - x2pad what the kernels differ by.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
f="$OUT/coresident_ab.txt"
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.max.mem --format=csv | tee "$f"
run() {  # split config cases...
  local split=$1 conf=$2; shift 2
  X="W4A16_PROBE_CONFIG=$conf,W4A16_PROBE_SPLIT=$split"
  printf '%s\n' "$@" | AB_SIDES="base:new x2:new:$X x2pad:new:$X,W4A16_PROBE_SMEM=150000" AB_RAW="$OUT/coresident_raw.txt" \
    scripts/ab.sh 4 | tee -a "$f"
}
run 1 coop_r128_t8_x2 "1 14336 4096" "1 16896 4096"
run 2 coop_r128_t8_x2 "1 8192 8192" "1 6144 4096"
run 4 coop_r128_t8_x2 "1 4096 14336"
run 2 coop_r128_t16_x2 "16 8192 8192"
