#!/usr/bin/env python3
"""Counts the performance targets of issues 3 (sm90) and 4 (sm80) that one sweep meets, and lists the misses.

  decode: M = 1, 4, 16 (sm90) or M = 1, 16 (sm80) on 28672x4096, 4096x14336, 8192x8192 and 57344x8192 at
          >= 85% (sm90) or 75% (sm80) of the run's copy rate, model bytes as the bench counts them;
          also counted against the copy kernel's rate where the file has it (bench since the
          twenty-fourth session; the graph-captured memcpy that "copy" is reads ~0.8x of DESIGN's 3.0
          TB/s copy kernel on the H100 and 0.67-0.69x of the bench's on the H200) and in the issues'
          speed-up form ("i.e. at least 3.4x / 3x faster than cuBLAS");
  speed-up over cuBLAS: sm90 M = 64 >= 2.5x, 128 >= 1.7x, 256 >= 1.1x on the eight sweep shapes,
          M = 1024/4096/16384 >= 0.95x; sm80 M = 64 >= 2x on the four decode shapes, M >= 1024 >= 0.5x;
  sm90 4096x4096 M = 1 <= 6 us.
Ratios are compared unrounded (2.4988x misses 2.5x although the bench prints 2.50x).
Usage: scripts/targets.py FILE.json   (a `w4a16 bench --sweep --json` file of one backend)"""
import json
import sys

LARGE = {(28672, 4096), (4096, 14336), (8192, 8192), (57344, 8192)}
# Speed-up over cuBLAS each issue asks for, by M (scripts/target_floors.py reads these too).
SPEEDUP = {"sm90": {64: 2.5, 128: 1.7, 256: 1.1, 1024: 0.95, 4096: 0.95, 16384: 0.95},
           "sm80": {64: 2.0, 1024: 0.5, 4096: 0.5, 16384: 0.5}}


def targets(backend):
    if backend == "sm90":
        return {"decode": ((1, 4, 16), 0.85), "decode_x": 3.4, "speedup": SPEEDUP["sm90"], "m64_shapes": None}
    return {"decode": ((1, 16), 0.75), "decode_x": 3.0, "speedup": SPEEDUP["sm80"], "m64_shapes": LARGE}


def load_records(argv, doc):
    """The verified, timed records of the sweep file named by argv[1]; None (usage printed) otherwise."""
    if len(argv) != 2:
        print(doc)
        return None
    with open(argv[1]) as f:
        return [r for r in json.load(f) if r.get("verified", True) and r.get("us", 0) > 0]


def main(argv):
    recs = load_records(argv, __doc__)
    if recs is None:
        return 2
    backend, dtype = recs[0]["backend"], recs[0]["dtype"]
    t = targets(backend)
    groups = {}  # label -> [met, total, misses]

    def count(label, ok, what):
        g = groups.setdefault(label, [0, 0, []])
        g[1] += 1
        if ok:
            g[0] += 1
        else:
            g[2].append(what)

    ms, share = t["decode"]
    for r in recs:
        shape, m = (r["n"], r["k"]), r["m"]
        name = f"{r['n']}x{r['k']} M={m}"
        if shape in LARGE and m in ms:
            pct = r["gbps"] / r["copy_gbps"]
            count(f"decode >= {share:.0%} of copy", pct >= share, f"{name} {pct:.1%} ({r['us']:.1f} us)")
            if r.get("copy_kernel_gbps", 0) > 0:
                pk = r["gbps"] / r["copy_kernel_gbps"]
                count(f"decode >= {share:.0%} of the copy kernel's rate", pk >= share, f"{name} {pk:.1%}")
            x = r["cublas_us"] / r["us"]
            count(f"decode >= {t['decode_x']:g}x cuBLAS", x >= t["decode_x"], f"{name} {x:.2f}x")
        if m in t["speedup"]:
            if m == 64 and t["m64_shapes"] is not None and shape not in t["m64_shapes"]:
                continue
            need = t["speedup"][m]
            label = f"M={m} >= {need}x" if m < 1024 else f"M>=1024 >= {need}x"
            x = r["cublas_us"] / r["us"]
            count(label, x >= need, f"{name} {x:.3f}x ({r['us']:.1f} / {r['cublas_us']:.1f} us)")
        if backend == "sm90" and shape == (4096, 4096) and m == 1:
            count("4096x4096 M=1 <= 6 us", r["us"] <= 6.0, f"{r['us']:.2f} us")
    kernel_copy = recs[0].get("copy_kernel_gbps", 0)
    print(f"{backend} {dtype}, {recs[0]['gpu']}: copy {recs[0]['copy_gbps']:.0f} GB/s"
          + (f" (copy kernel {kernel_copy:.0f})" if kernel_copy else "") + ", "
          f"cuBLAS 8192^3 {recs[0]['peak_tflops']:.0f} TFLOP/s")
    for label, (met, total, misses) in groups.items():
        print(f"  {label}: {met} of {total}" + (f"; missed {', '.join(misses)}" if misses else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
