#!/usr/bin/env python3
"""Chart of speed-up over cuBLAS against M from `w4a16 bench --json` files: one line per shape and
backend, log-scale M.  Usage: scripts/plot_speedup.py OUT.png FILE.json [FILE.json ...]"""
import json
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    out, files = argv[1], argv[2:]
    lines = defaultdict(list)
    gpu = set()
    for path in files:
        with open(path) as f:
            for r in json.load(f):
                if not r.get("verified", True) or r.get("us", 0) <= 0:
                    continue
                gpu.add(r["gpu"])
                key = (r["backend"], r["n"], r["k"], r["dtype"])
                lines[key].append((r["m"], r["speedup"]))
    if not lines:
        print("no verified records in", files)
        return 1
    fig, ax = plt.subplots(figsize=(11, 6.5))
    for (backend, n, k, dtype), pts in sorted(lines.items()):
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=3,
                linestyle="-" if backend == "sm90" else "--", label=f"{backend} {n}x{k} {dtype}")
    ax.axhline(1.0, color="black", lw=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("M (tokens)")
    ax.set_ylabel("speed-up over cuBLAS dense (same dtype, same run)")
    ax.set_title("w4a16 vs cuBLAS on " + ", ".join(sorted(gpu)))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
