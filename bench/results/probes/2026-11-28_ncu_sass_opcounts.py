#!/usr/bin/env python3
# ncu_sass_opcounts.py FILE_sass.csv.xz... -- per ncu source page (SASS, CSV, xz): warp instructions executed and
# warp-state samples per opcode, and the stall reasons summed (twenty-seventh session, zero-point 16-token tile).
import csv, lzma, sys, re, collections
def load(f):
    r = list(csv.reader(lzma.open(f, 'rt')))
    name = r[0][1]; hdr = r[1]; rows = r[2:]
    ix = {h: i for i, h in enumerate(hdr)}
    return name, hdr, ix, rows
for f in sys.argv[1:]:
    name, hdr, ix, rows = load(f)
    print("==", f, re.search(r'<.*>', name).group(0))
    ops = collections.Counter(); smp = collections.Counter(); tot = 0; tots = 0
    stalls = collections.Counter()
    scols = [h for h in hdr if h.startswith('stall_') and 'Not Issued' not in h]
    for row in rows:
        src = row[ix['Source']].strip()
        m = re.match(r'(@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)', src)
        op = m.group(2) if m else src
        n = int(row[ix['Instructions Executed']] or 0); s = int(row[ix['# Samples']] or 0)
        ops[op] += n; smp[op] += s; tot += n; tots += s
        for c in scols: stalls[c] += int(row[ix[c]] or 0)
    print("warp insts executed", tot, "samples", tots)
    print(" ".join(f"{o}:{ops[o]}" for o, _ in ops.most_common(18)))
    print("samples by op:", " ".join(f"{o}:{smp[o]}" for o, _ in smp.most_common(12)))
    print("stalls:", " ".join(f"{c[6:]}:{v}" for c, v in stalls.most_common(10)))
