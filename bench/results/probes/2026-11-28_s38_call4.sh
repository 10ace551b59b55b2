#!/usr/bin/env bash
# Thirty-eighth session, call 4: the one zero-point gap point over 5% in sweep v70 (57344x8192 M=16, fp16: +9.6% by
# medians, +5.6% by each side's fastest repeat, both sides bimodal), timed again with many interleaved repeats and
# each run's SM clock (bench's MHz column): symmetric and with zeros in turn, 9 repeats, fp16 and bf16, with
# 28672x4096 M=16 (+1.4% in v70) as the control. Version 130 as submitted (.carry/build.tar.xz).
set -uo pipefail
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
for r in 1 2 3 4 5 6 7 8 9; do
  for c in "16 57344 8192 fp16" "16 28672 4096 fp16" "16 57344 8192 bf16"; do
    read -r m n k dt <<<"$c"
    for z in "" "--zeros"; do
      ((r % 2)) || z=$([ -z "$z" ] && echo "--zeros" || echo "")  # alternate which side runs first
      row=$(build-carry/w4a16 bench --backend sm90 -m "$m" -n "$n" -k "$k" --dtype "$dt" $z --warmup 5 --iters 15 2>&1 |
            awk -v m="$m" -v n="$n" -v k="$k" '$3 == m && $4 == n && $5 == k' | head -1)
      echo "$r $dt ${z:-sym} $row"
    done
  done
done | tee "$OUT/zeros_gap_repeats.txt"
