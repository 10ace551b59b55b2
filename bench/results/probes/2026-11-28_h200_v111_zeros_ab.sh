#!/bin/bash
# Version 111's scale+zero gap (the sweep's gap step read +5.0 to +7.5% at M=16 on four shapes, bf16 M=1 +5.3%):
# interleaved repeats of the carried build (new) against zu16 (the unpaired 16-token zero-point tile folded
# too) and zall (every fp16 zero-point instance folded); both variants also keep bf16's 8-token tile in the
# magic-number form; zm16: the 16-token zero-point tiles in the magic-number form (bf16 8-token tile subnormal).
set -u
cat > /tmp/cases <<'C'
16 28672 4096
16 28672 4096 --zeros
16 4096 14336
16 4096 14336 --zeros
16 57344 8192
16 57344 8192 --zeros
16 8192 28672
16 8192 28672 --zeros
16 8192 8192 --zeros
1 8192 8192 --dtype bf16
1 8192 8192 --dtype bf16 --zeros
1 8192 8192 --zeros
C
AB_SIDES="new:new zu16:zu16 zall:zall zm16:zm16" AB_RAW=$OUT/ab_raw.txt timeout 480 scripts/ab.sh 4 < /tmp/cases > "$OUT/ab.txt" 2>&1
cut -c1-200 "$OUT/ab.txt"
