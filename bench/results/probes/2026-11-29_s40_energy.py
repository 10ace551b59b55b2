#!/usr/bin/env python3
"""Cuts 2026-11-29_s40_energy.sh's power trace into each bench call's bursts (ours, then cuBLAS: the two
longest runs of samples above the call's idle power + 60 W) and prints per side the burst's length, mean
power over its middle 80%, median SM clock, peak temperature, and the energy per product (mean power x
the bench's median time per call).  usage: 2026-11-29_s40_energy.py DIR  (energy_trace.csv, energy_bench.txt)"""
import sys, datetime, statistics as st

d = sys.argv[1]
trace = []
for line in open(f"{d}/energy_trace.csv"):
    f = [x.strip() for x in line.split(",")]
    try:
        t = datetime.datetime.strptime(f[0], "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()
        trace.append((t, float(f[1]), float(f[2]), float(f[3]), float(f[4])))
    except (ValueError, IndexError):
        pass
cases, cur = [], None
for line in open(f"{d}/energy_bench.txt"):
    if line.startswith("=== end"):
        cur["end"] = float(line.split()[2]); cases.append(cur); cur = None
    elif line.startswith("==="):
        w = line.split()
        cur = {"name": " ".join(w[1:w.index("start")]), "start": float(w[-1]), "rows": []}
    elif cur is not None and (line.startswith("sm90") or line.startswith("sm80")):
        cur["rows"].append(line.split())
# The device clock may be in another zone than the trace's timestamps: shift by whole half hours.
off = round((cases[0]["start"] - trace[0][0]) / 1800) * 1800 if cases and trace else 0
print(f"{len(trace)} samples over {trace[-1][0] - trace[0][0]:.1f} s, "
      f"{len(trace) / (trace[-1][0] - trace[0][0]):.0f} per s; zone offset {off} s")
print(f"{'case':28s} {'side':6s} {'us':>8s} {'plat_s':>7s} {'W':>6s} {'MHz':>6s} {'degC':>5s} {'mJ/call':>8s}  ratio(ours/cuBLAS): time, energy")
for c in cases:
    s = [x for x in trace if c["start"] - 0.2 <= x[0] + off <= c["end"] + 0.2]
    if not s or not c["rows"]:
        print(c["name"], "no samples or no row"); continue
    idle = sorted(x[1] for x in s)[len(s) // 10]
    bursts, run = [], []
    for x in s:
        if x[1] > idle + 60: run.append(x)
        elif run: bursts.append(run); run = []
    if run: bursts.append(run)
    bursts = [b for b in bursts if b[-1][0] - b[0][0] >= 0.5]
    bursts = sorted(sorted(bursts, key=lambda b: b[-1][0] - b[0][0])[-2:], key=lambda b: b[0][0])
    row = c["rows"][-1]
    us, cus = float(row[5]), float(row[6])
    res = []
    for side, b, t in zip(("ours", "cuBLAS"), bursts, (us, cus)):
        # power.draw is a moving average over ~1 s on this driver (power.draw.instant was not offered): the
        # trace rises for ~1 s after the work starts and falls for ~1 s after it ends, so the plateau is from
        # 1 s after the first sample above the threshold to 0.9 s before the last one.
        mid = [x for x in b if b[0][0] + 1.0 <= x[0] <= b[-1][0] - 0.9] or b
        w = st.mean(x[1] for x in mid); mhz = st.median(x[3] for x in mid); deg = max(x[4] for x in b)
        res.append((side, t, mid[-1][0] - mid[0][0], w, mhz, deg, w * t / 1000))
    for r in res:
        print(f"{c['name']:28s} {r[0]:6s} {r[1]:8.2f} {r[2]:7.2f} {r[3]:6.0f} {r[4]:6.0f} {r[5]:5.0f} {r[6]:8.3f}", end="")
        print(f"  {res[0][1] / res[1][1]:.3f}, {res[0][6] / res[1][6]:.3f}" if r is res[-1] and len(res) == 2 else "")
    if len(res) < 2: print(f"  ({len(bursts)} bursts found, idle {idle:.0f} W)")
