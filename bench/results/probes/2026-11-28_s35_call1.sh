#!/usr/bin/env bash
# Thirty-fifth session, call 1: the GPU tests of the submitted build (Sm90.ShiftedLastTokenTile had not run on a
# GPU), then the two probes the thirty-fourth session prepared: the 192-token tile (its tests and an
# interleaved A/B against the pick) and the token-count steps (sm90 M = 36-120, sm80 M = 136-256).
set -uo pipefail
nvidia-smi --query-gpu=name,clocks.max.sm,power.limit --format=csv | tee "$OUT/gpu.txt"
scripts/gpu-check.sh tests; echo "tests done $SECONDS s"
bash bench/results/probes/2026-11-28_s34_next_t192.sh; echo "t192 done $SECONDS s"
bash bench/results/probes/2026-11-28_s34_next_steps.sh; echo "steps done $SECONDS s"
