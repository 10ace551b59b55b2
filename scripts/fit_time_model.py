#!/usr/bin/env python3
"""fit_time_model.py -- refit the sm90 tile/split time model of src/dispatch/heuristic.cpp.

Input: probe tables (bench/results/probes/split_{mid,large}.txt), one line per measurement:
  M N K config split our_us cublas_us
Fits  time = waves * (kblocks_per_unit * KB/64 * (a + b*tn) + F) + [split > 1] * G * tn/64,
floored by the operand bytes over a bandwidth, by a grid search on squared log error, then reports
how far the model's argmin (splits within one wave) lands from the best measured choice.
"""
import itertools
import math
import sys
from collections import defaultdict

SMS = 132
TILES = {'coop_r128_t64': (64, 128), 'coop_r128_t128': (128, 64), 'coop_r128_t256': (256, 64)}


def load(paths):
    rows = []
    for path in paths:
        for line in open(path):
            f = line.split()
            if len(f) >= 7 and f[3] in TILES:
                rows.append((int(f[0]), int(f[1]), int(f[2]), f[3], int(f[4]), float(f[5])))
    return rows


def model(P, m, n, k, c, s):
    a, b, F, G, bw = P
    tn, kb = TILES[c]
    tiles = math.ceil(n / 128) * math.ceil(m / tn)
    waves = math.ceil(tiles * s / SMS)
    t = waves * (math.ceil(math.ceil(k / kb) / s) * kb / 64 * (a + b * tn) + F) + (G * tn / 64 if s > 1 else 0)
    return max(t, (n * k / 2 + 2 * m * k + 2 * m * n) / bw / 1e6)


def choose(P, m, n, k):
    best = None
    for c, (tn, kb) in TILES.items():
        if tn == 64 and m > 128:
            continue
        tiles = math.ceil(n / 128) * math.ceil(m / tn)
        for s in range(1, max(1, min(8, math.ceil(k / kb) // 4, SMS // tiles)) + 1):
            t = model(P, m, n, k, c, s)
            if best is None or t < best[0]:
                best = (t, c, s)
    return best


def main():
    rows = load(sys.argv[1:] or ['bench/results/probes/split_mid.txt', 'bench/results/probes/split_large.txt'])
    grid = itertools.product([0.05, 0.08, 0.1, 0.12], [0.002, 0.0022, 0.0024, 0.0026], [2, 4, 6, 8], [3, 6, 9],
                             [2.2, 2.5, 2.8])
    P = min(grid, key=lambda P: sum(math.log(model(P, *r[:5]) / r[5]) ** 2 for r in rows))
    print('a=%g b=%g F=%g G=%g bw=%g TB/s' % P)
    by_shape = defaultdict(list)
    for r in rows:
        by_shape[r[:3]].append(r)
    logs = []
    for shape, rs in sorted(by_shape.items()):
        best = min(rs, key=lambda r: r[5])
        _, c, s = choose(P, *shape)
        got = [r for r in rs if r[3] == c and r[4] == s]
        if not got:
            print(shape, 'model picks an unmeasured choice', c, s)
            continue
        logs.append(math.log(got[0][5] / best[5]))
        print(shape, 'best %s s%d %.1f us; model %s s%d %.1f us' % (best[3], best[4], best[5], c, s, got[0][5]))
    print('geometric-mean loss of the model choice: %.2f%%' % (100 * (math.exp(sum(logs) / len(logs)) - 1)))


if __name__ == '__main__':
    main()
