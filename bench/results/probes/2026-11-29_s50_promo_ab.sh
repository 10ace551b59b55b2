#!/usr/bin/env bash
# Fiftieth session, call 3: the packed weights' (and scales') TMA L2 promotion, 256 B (version 147) against 128 B
# and none, on a probe build whose encode_maps reads W4A16_PROBE_WPROMO / W4A16_PROBE_SPROMO (0, 64, 128, 256).
# Call 2 put the decode tile's L2 at 85% of its peak throughput at 70% of DRAM's (a copy kernel: 89% at 84%),
# with 30% of its L2 read sectors hits though every weight is read once. ncu's breakdown of lts__throughput
# first, then 5 interleaved repeats (scripts/ab.sh). Run on the device from the repository root:
#   bash bench/results/probes/2026-11-29_s50_promo_ab.sh
set -uo pipefail
B=build-carry
[ -x "$B/w4a16" ] || tar -xJf .carry/build.tar.xz
for v in 256 128 0; do
  echo "== lts__throughput breakdown, W promotion $v, 57344x8192 M=1"
  W4A16_PROBE_WPROMO=$v timeout 120 ncu --clock-control none -k regex:sm90_w4a16 --launch-skip 3 --launch-count 1 \
    --metrics breakdown:lts__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed,gpu__time_duration.sum,lts__t_sectors_srcunit_tex_lookup_hit.sum,lts__t_sectors_srcunit_ltcfabric.sum \
    "$B/w4a16" bench -m 1 -n 57344 -k 8192 --backend sm90 --warmup 5 --iters 5 2>&1 | grep -E "^ +[a-z]" | sort -k3 -g -r | head -24
done
AB_SIDES="w256:new w128:new:W4A16_PROBE_WPROMO=128 w0:new:W4A16_PROBE_WPROMO=0" \
  AB_RAW="$OUT/promo_ab_raw.txt" scripts/ab.sh 5 <<'CASES' | tee "$OUT/promo_ab.txt"
1 8192 8192
1 57344 8192
1 28672 4096
16 4096 14336
16 8192 8192
64 8192 8192
256 8192 8192
4096 8192 8192
CASES
