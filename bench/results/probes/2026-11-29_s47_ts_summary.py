#!/usr/bin/env python3
# Reads the "TS blk smid unit t_start t_unit_begin t_mainloop_end t_fixup_end t_epilogue_end info" lines of
# the timestamp probe (2026-11-29_s47_timestamps.patch; globaltimer ns, info = tile << 16 | split_idx << 8 | nsplit)
# and prints, per unit index and split count, the mainloop, fixup and epilogue times (us).
import collections, statistics as st, sys
for f in sys.argv[1:]:
    R = [(int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7]), int(r[8]), int(r[9], 16))
         for r in (l.split() for l in open(f))]
    base = min(r[3] for r in R)
    by = collections.defaultdict(list)
    for blk, sm, i, ts, t0, t1, t2, t3, info in R:
        by[(i, info & 0xff)].append((t1 - t0, t2 - t1 if t2 else None, t3 - t2 if t2 and t3 else None, t0 - base,
                                     t3 - base if t3 else None))
    print(f"== {f}: {len({r[0] for r in R})} CTAs")
    for k in sorted(by):
        L = by[k]
        fx = [x[1] / 1e3 for x in L if x[1] is not None]
        ep = [x[2] / 1e3 for x in L if x[2] is not None]
        done = [x[4] / 1e3 for x in L if x[4] is not None]
        print(f"  unit {k[0]} nsplit {k[1]}: n {len(L)}, mainloop median {st.median(x[0] / 1e3 for x in L):.2f} us, "
              f"fixup (reducers, {len(fx)}) median {st.median(fx) if fx else 0:.2f}, epilogue median "
              f"{st.median(ep) if ep else 0:.2f}, begins {min(x[3] for x in L) / 1e3:.2f}-{max(x[3] for x in L) / 1e3:.2f}, "
              f"done {min(done) if done else 0:.2f}-{max(done) if done else 0:.2f}")
