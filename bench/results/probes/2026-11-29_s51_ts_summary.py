#!/usr/bin/env python3
# Fifty-first session: reads the "TS launch blk entry wait first_full mainloop_end epilogue_end smid" lines of the
# timestamp probe (2026-11-29_s51_timestamps.patch; %globaltimer ns; eight consecutive launches of one
# graph replay, printed at exit) and prints, for each launch after the first, the per-call chain: the previous
# launch's last epilogue end -> this launch's first and last wait release -> first data -> mainloop end -> epilogue end.
import statistics as st, sys, collections
for f in sys.argv[1:]:
    L = collections.defaultdict(list)
    for line in open(f):
        if line.startswith("TS "):
            r = line.split()
            L[int(r[1])].append(tuple(int(x) for x in r[2:]))
    if not L:
        continue
    print(f"== {f}: {len(L)} launches, {len(L[min(L)])} CTAs each")
    rows = []
    for l in sorted(L)[1:]:
        if l - 1 not in L:
            continue
        prev, cur = L[l - 1], L[l]
        prev_end = max(r[5] for r in prev if r[5])
        prev_wait = min(r[2] for r in prev)
        w = [r[2] for r in cur]
        us = lambda x: x / 1e3
        first = [r[3] - r[2] for r in cur if r[3]]
        ml = [r[4] - r[3] for r in cur if r[4] and r[3]]
        mlend = [r[4] for r in cur if r[4]]
        epi = [r[5] - r[4] for r in cur if r[5] and r[4]]
        end = [r[5] for r in cur if r[5]]
        entry = [r[1] for r in cur]
        extra = ""
        if len(cur[0]) >= 9:
            ps = [r[7] - r[2] for r in cur if r[7]]
            iss = [r[8] - r[2] for r in cur if r[8]]
            lat = [r[3] - r[8] for r in cur if r[8] and r[3]]
            cw = [r[9] - r[2] for r in cur if r[9]]
            if ps and iss and lat and cw:
                extra = " | after the wait: producer starts %.2f, stage 0 issued %.2f, consumer at its first wait %.2f; stage 0 issue to data %.2f (max %.2f)" % (
                    us(st.median(ps)), us(st.median(iss)), us(st.median(cw)), us(st.median(lat)), us(max(lat)))
        rows.append((us(min(w) - prev_wait), us(min(entry) - prev_end), us(min(w) - prev_end), us(max(w) - min(w)),
                     us(st.median(first)), us(max(first)), us(st.median(ml)), us(max(mlend) - min(mlend)),
                     us(st.median(epi)) if epi else 0, us(max(end) - prev_end), us(max(end) - min(end))))
        print("  launch %d: period %.2f | first entry %+.2f, wait released %+.2f after the previous end (spread %.2f) | "
              "first data median %.2f max %.2f | mainloop median %.2f, end spread %.2f | epilogue median %.2f | "
              "last end %.2f after previous end, end spread %.2f" % ((l,) + rows[-1]) + extra)
    good = [r for r in rows if r[0] < 1.5 * st.median(x[0] for x in rows)]
    if good:
        med = [st.median(r[i] for r in good) for i in range(len(good[0]))]
        print("  median over %d in-replay launches: period %.2f, wait released %.2f after the previous end, first data %.2f, "
              "mainloop %.2f (end spread %.2f), epilogue %.2f" % (len(good), med[0], med[2], med[4], med[6], med[7], med[8]))
