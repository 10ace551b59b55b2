#!/usr/bin/env python3
"""Summarises an ncu source-page CSV (SASS, warp-state samples per instruction) of the sm90 consumer mainloop.

Usage: pcsamp_summary.py FILE_sass.csv.gz  (written by 2026-11-28_t64_pcsamp.sh)
Categories: mainloop instructions are those executed at least as often as the busiest one / 1.1 (per k-block);
the full-barrier wait is the SYNCS.PHASECHK try-wait and the branch after it."""
import collections, csv, gzip, re, sys

rows = list(csv.reader(gzip.open(sys.argv[1], 'rt')))
hdr, data = rows[1], rows[2:]
i_s, i_ex = hdr.index("Warp Stall Sampling (All Samples)"), hdr.index("Instructions Executed")
src = [r[1].strip() for r in data]
ex = [int(r[i_ex]) for r in data]
smp = [int(r[i_s]) for r in data]
loop = max(ex) / 1.1
ops = collections.Counter()
cats = collections.Counter()
for k, s in enumerate(smp):
    op = re.sub(r'^@!?U?P\w+\s+', '', src[k]).split()[0]
    if ex[k] >= loop:
        ops[op.split('.')[0]] += 1
        if 'SYNCS.PHASECHK' in src[k] or (op == 'BRA' and k and 'SYNCS.PHASECHK' in src[k - 1]):
            cats['mainloop: waiting for a stage (full barrier)'] += s
        elif op.startswith(('HGMMA', 'WARPGROUP')):
            cats['mainloop: wgmma issue and wait'] += s
        else:
            cats['mainloop: dequant, LDS, addressing, loop'] += s
    else:
        cats['outside the mainloop (setup, producer, fixup, epilogue)'] += s
tot = sum(smp)
print(f"{sys.argv[1]}: {tot} samples; mainloop body {sum(ops.values())} instructions: {dict(ops.most_common(8))}")
for c, v in cats.most_common():
    print(f"  {c:58s} {v:5d} {100 * v / tot:5.1f}%")
