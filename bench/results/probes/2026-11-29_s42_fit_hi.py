#!/usr/bin/env python3
"""Forty-second session: the k-block prices of kHiModel (src/dispatch/heuristic.cpp, M = 513-1023) and the picks'
losses against `w4a16 tune`. Inputs: the tune records of calls 2 and 3 (every configuration's time at each
problem) and the plan inspector 2026-11-29_s41_plan_inspector.cpp built against the library (version 139's, for
the base picks; the forced configurations' plans do not depend on the pick), run with QC=30 (the H200's fit of
clusters of four). Usage: fit_hi.py INSPECTOR   (prints the coefficients, the errors and the losses).
Output of this session: 2026-11-29_s42_fit_hi_output.txt."""
import math, os, re, subprocess, sys
from collections import defaultdict
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = {"b": "2026-11-29_h200_s42_call2_tune_hi.txt", "d": "2026-11-29_h200_s42_call3_tune_hi2.txt"}
TILES = {"coop_r128_t64": 3, "coop_r128_t96": 4, "coop_r128_t128": 5, "coop_r128_t160": 6, "coop_r128_t192": 7,
         "coop_r128_t256": 8, "coop_r256_t128": 9}
TN = {"coop_r128_t64": 64, "coop_r128_t96": 96, "coop_r256_t128": 128}
SMS = 132


def plan(insp, n, k, bf16, m, env):
    out = subprocess.run([insp, str(n), str(k), bf16, str(m)], capture_output=True, text=True, env=env).stdout
    f = {a: int(b) for a, b in re.findall(r"(split|cluster|grid|stages|sk|kblocks|full) (\d+)", out)}
    t = re.search(r"tiles (\d+)x(\d+)", out)
    f["tiles"] = int(t.group(1)) * int(t.group(2))
    f["name"] = out.split(": ")[1].split()[0]
    return f


def load(insp):
    data = []
    for src, fn in FILES.items():
        var = ""
        for line in open(os.path.join(HERE, fn)):
            if line.startswith("# "):
                var = line[2:].strip()
                continue
            mm = re.match(r"sm90 M=(\d+) N=(\d+) K=(\d+): (.*)", line)
            if not mm:
                continue
            m, n, k = map(int, mm.group(1, 2, 3))
            if not 513 <= m <= 960:
                continue
            t = {a: float(b) for a, b in re.findall(r"(\S+)=([\d.]+)us", mm.group(4))}
            env = dict(os.environ, QC="30")
            bf = "1" if "bf16" in var else "0"
            base = plan(insp, n, k, bf, m, env)["name"]
            for name, idx in TILES.items():
                p = plan(insp, n, k, bf, m, dict(env, CFG=str(idx)))
                del p["name"]
                tn = TN.get(name, int(name.split("_t")[-1]))
                kb = 128 if tn <= 96 else 64
                data.append(dict(src=src, key=(src, var, n, k, m), name=name, tn=tn, kb=kb, T=t[name], base=base, **p))
    return data


def blocks(d):  # k-blocks on the busiest CTA, as sm90_plan_us counts them
    if d["sk"] > 0:
        return math.ceil(d["tiles"] * d["kblocks"] / d["sk"])
    if d["full"] > 0:
        return d["full"] // SMS * d["kblocks"] + math.ceil(d["kblocks"] / d["split"])
    return math.ceil(d["tiles"] * d["split"] / SMS) * math.ceil(d["kblocks"] / d["split"])


def row(d):
    kpc = blocks(d) * d["kb"] / 64
    ws = d["split"] > 1 and d["cluster"] == 1 and d["sk"] == 0
    fill = d["sk"] > 0 and d["cluster"] != 4
    return [kpc if d["name"] == n else 0 for n in TILES] + [
        1, d["tn"] if ws else 0, d["tn"] if d["cluster"] == 2 else 0, d["tn"] if d["cluster"] == 4 else 0,
        d["tn"] if fill else 0]


def fit(sel):  # relative least squares, columns with negative weights dropped
    a = np.array([row(d) for d in sel], float)
    y = np.array([d["T"] for d in sel])
    cols = list(range(a.shape[1]))
    while True:
        c, *_ = np.linalg.lstsq(a[:, cols] / y[:, None], np.ones_like(y), rcond=None)
        if (c >= 0).all():
            break
        cols.pop(int(np.argmin(c)))
    full = np.zeros(a.shape[1])
    full[cols] = c
    return full


def losses(coef, sel, margin, fill):
    pts = defaultdict(list)
    for d in sel:
        pts[d["key"]].append(d)
    model, base = [], []
    for v in pts.values():
        by = {d["name"]: d for d in v}
        best = min(d["T"] for d in v)
        b = by[v[0]["base"]]
        # any_plan False (kHiModel): only whole tiles and workspace splits replace the base pick
        ok = [d for d in v if d is b or fill or (d["cluster"] == 1 and d["sk"] == 0)]
        pred = [np.dot(row(d), coef) for d in ok]
        i = int(np.argmin(pred))
        ch = ok[i] if pred[i] < (1 - margin) * np.dot(row(b), coef) else b
        model.append(ch["T"] / best - 1)
        base.append(b["T"] / best - 1)
    return np.array(model), np.array(base)


def main():
    data = load(sys.argv[1])
    coef = fit(data)
    names = list(TILES) + ["us", "split_tok", "pair_tok", "quad_tok", "fill_tok"]
    print("coefficients (us):", ", ".join(f"{n} {v:.4f}" for n, v in zip(names, coef)))
    a = np.array([row(d) for d in data], float)
    y = np.array([d["T"] for d in data])
    e = np.abs(a @ coef / y - 1)
    print(f"{len(data)} timings, {len(data) // len(TILES)} problems; error median {np.median(e):.3f}, p90 {np.percentile(e, 90):.3f}")
    for margin in (0.0, 0.01, 0.03):
        for fill in (True, False):  # fill: any plan may replace the base pick
            m, b = losses(coef, data, margin, fill)
            print(f"margin {margin:.2f} fill {fill!s:5}: picks {m.mean():.2%} slower than the best (max {m.max():.1%},"
                  f" {np.sum(m > 0.05)} > 5%); base {b.mean():.2%} (max {b.max():.1%}, {np.sum(b > 0.05)} > 5%)")
    for tr, te in (("b", "d"), ("d", "b")):
        c = fit([d for d in data if d["src"] == tr])
        m, b = losses(c, [d for d in data if d["src"] == te], 0.01, False)
        print(f"fitted on call {'2' if tr == 'b' else '3'} only, on the other: picks {m.mean():.2%} (max {m.max():.1%}),"
              f" base {b.mean():.2%} (max {b.max():.1%})")


if __name__ == "__main__":
    main()
