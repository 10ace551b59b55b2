#!/usr/bin/env bash
# Thirty-eighth session, call 2: (1) the fixed SASS side-by-side of the 64-token pair instance's two SHIFT forms
# (version 130, .carry/build.tar.xz); (2) what the code a whole-tile plan never runs costs the non-pair instances:
# version 130 against two timing probes (patch 2026-11-28_s38_lean_probe.patch on aee839b): `nosplit`, the non-pair
# instances compiled without the split-K fixup, and `nsh`, also without the last-tile shift. Only plans that run
# whole tiles, no cluster pairs and no shifted tile are timed (results verified as usual); 64 8192 8192 (a pair plan,
# the same instance in all three builds) is the control. 3 interleaved repeats.
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
bash bench/results/probes/2026-11-28_s37_sass_shift.sh build-carry >"$OUT/sass_shift.txt" 2>&1
cuobjdump -res-usage build-carry/libw4a16.so.* 2>/dev/null | grep -A1 -E "sm90_w4a16_kernelILb0ELi1ELi64ELi128ELb0ELi1ELb[01]ELb1ELi[0-9]ELb[01]EEEv" >"$OUT/res_usage_t64pairs.txt"
AB_SIDES="v130:new nosplit:nosplit nsh:nsh" AB_RAW="$OUT/ab_raw_lean.txt" timeout 420 scripts/ab.sh 3 \
  < bench/results/probes/2026-11-28_s38_lean_cases.txt | tee "$OUT/ab_lean.txt"
