#!/usr/bin/env bash
# PREPARED in the thirty-sixth session, NOT YET RUN: the refitted sm90 time model in C++ against the heuristic, before
# any new grid. Probe build: patch probes/2026-11-28_s36_refit_model.patch on 757a23c (kernels and default picks as the
# submitted source; with W4A16_PROBE_MODEL set, sm90_pick above M = 64 prices each tile's own plan with the refit and no
# rule, margin or guard), archived as /work/carry-archive/s36_refit_probe.tar.xz: copy it to .carry/refit.tar.xz. Its
# picks reproduce the Python refit's (2026-11-28_s36_eval_refit_picks.py) at all 120 points of the thirty-sixth
# session's grid, with and without coop_r256_t128. Constants: that grid's fit (2026-11-28_s36_refit_output.txt), the
# 256-row tile left out (its moves lost 5-11% on the grid). The cases are the 21 problems of M = 72-384 on the 15 grid
# shapes where these picks differ from the submitted heuristic's (the 160-token tile priced by extrapolation), timed
# interleaved, 3 repeats, about 3 minutes. A second run with a refit on the next grid only needs other constants.
set -uo pipefail
P=0.0442/0.0019/2.9904/1.8806/0.7388/0.9262/5.154/0.2867/0.1521
AB_SIDES="cur:refit refit:refit:W4A16_PROBE_MODEL=$P,W4A16_PROBE_NOR256=1" AB_RAW="$OUT/ab_raw_refit.txt" \
  timeout 300 scripts/ab.sh 3 < bench/results/probes/2026-11-28_s36_next_refit_cases.txt | tee "$OUT/ab_refit.txt"
