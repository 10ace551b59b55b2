#!/usr/bin/env python3
"""For each sweep point that misses its speed-up target (M >= 64 in issues 3 and 4; the decode targets are
counted by scripts/targets.py): the time the target asks for (cuBLAS time over the target ratio) beside two
floors, the bytes at the run's copy rate (the copy kernel's where the file has it, else the graph-captured
memcpy's, which reads lower) and the FLOPs at a compute ceiling, so a reader can see which targets ask for
more than the card gives.

Ceilings: sm90, the run's cuBLAS 8192^3 rate (the record's peak_tflops); sm80, the family's own best
rate at M >= 1024 in the same file (mma.sync on the H100 has no better measured figure).
Usage: scripts/target_floors.py FILE.json   (a `w4a16 bench --sweep --json` file of one backend)"""
import sys

from targets import SPEEDUP, load_records


def main(argv):
    recs = load_records(argv, __doc__)
    if recs is None:
        return 2
    backend = recs[0]["backend"]
    targets = SPEEDUP[backend]
    if backend == "sm90":
        ceiling, what = recs[0]["peak_tflops"], "cuBLAS 8192³ in this run"
    else:
        ceiling, what = max((r["tflops"] for r in recs if r["m"] >= 1024), default=0), "this family's best at M ≥ 1024"
    if ceiling <= 0:
        print(f"{backend}: no M >= 1024 records in this file, so no compute ceiling for the family")
        return 1
    # The copy kernel's rate where the file has it (bench since the twenty-fourth session): the graph-captured
    # memcpy of "copy_gbps" reads well below it (0.67-0.69x on the H200), so its bytes floor was too high.
    kernel_copy = recs[0].get("copy_kernel_gbps", 0)
    copy = max(recs[0]["copy_gbps"], kernel_copy)
    print(f"{backend}, {recs[0]['gpu']}: copy {copy:.0f} GB/s ({'copy kernel' if kernel_copy >= recs[0]['copy_gbps'] else 'memcpy'}); "
          f"ceiling {ceiling:.0f} TFLOP/s ({what})")
    print()
    print("| N×K | M | ours µs | cuBLAS µs | target µs | bytes at copy µs | FLOPs at ceiling µs | larger floor / target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in recs:
        m = r["m"]
        if m not in targets or r["cublas_us"] / r["us"] >= targets[m]:
            continue
        target = r["cublas_us"] / targets[m]
        bytes_us = r["us"] * r["gbps"] / copy  # the bench's byte count at the copy rate
        flops_us = 2.0 * m * r["n"] * r["k"] / (ceiling * 1e6)
        print(f"| {r['n']}×{r['k']} | {m} | {r['us']:.1f} | {r['cublas_us']:.1f} | {target:.1f} | {bytes_us:.1f} | "
              f"{flops_us:.1f} | {max(bytes_us, flops_us) / target:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
