#!/usr/bin/env bash
# Thirty-seventh session, call 1: the prepared 96-token pair probe (2026-11-28_s36_next_t96_pairs.sh, ~2 min, the
# submitted build .carry/build.tar.xz) and then the prepared grid with the 160-token tile
# (2026-11-28_s36_next_grid.sh, the probe build .carry/probe.tar.xz), the grid cut at 560 s of the call.
set -uo pipefail
bash bench/results/probes/2026-11-28_s36_next_t96_pairs.sh
echo "t96 pairs done at $SECONDS s"
sed 's/left=$((565 - SECONDS))/left=$((560 - SECONDS - T0))/' bench/results/probes/2026-11-28_s36_next_grid.sh >/tmp/grid.sh
T0=$SECONDS bash /tmp/grid.sh
