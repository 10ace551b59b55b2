#!/usr/bin/env python3
# Fifty-first session: the producer's first pass step by step (timestamp probe with 16 stamps per CTA, call 5):
# medians over CTAs and launches of each stamp after the producer's start (stamp 6), in us (stamp i is field i + 2
# of a TS line after "TS": launch, CTA, then stamps 0-14).
import statistics as st, sys
names = {9: "unit decoded", 10: "empty wait passed", 11: "barrier armed", 12: "X loads issued", 13: "W load issued",
         14: "scale load issued", 7: "stage 0 done", 8: "consumer at first wait", 2: "first data (consumer)"}
for f in sys.argv[1:]:
    T = [tuple(int(x) for x in l.split()[1:]) for l in open(f) if l.startswith("TS ")]
    T = [t for t in T if len(t) >= 17 and t[0] > 0 and t[8]]  # launches after the first; producer stamps present
    print(f"== {f}: {len(T)} CTA-launches")
    print("   wait released (stamp 1) - producer start: %+.3f us" % (st.median(t[3] - t[8] for t in T) / 1e3))
    for i in (9, 10, 11, 12, 13, 14, 7, 8, 2):
        v = [t[i + 2] - t[8] for t in T if t[i + 2]]
        if v:
            print("   %-22s %+.3f us (max %+.3f)" % (names[i], st.median(v) / 1e3, max(v) / 1e3))
