#!/usr/bin/env bash
# gpu-check.sh -- everything one device call does: build (or take a carried build), GPU tests,
# sanitizers, SASS check, benchmark sweeps. Logs and JSON go to $OUT; a summary is printed last.
#
#   scripts/gpu-check.sh [all|tests|bench|sanitize|quick]...   (default: all)
#
# A build made elsewhere can be carried in build-carry/ (scripts/build-carry.sh); it is used when its
# binaries load here, otherwise the script builds for sm_90a with every core.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
STEPS=${*:-all}
has() { [[ " $STEPS " == *" $1 "* || " $STEPS " == *" all "* ]]; }
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
t0=$(date +%s)

# ---- build --------------------------------------------------------------------------------------
B=build-carry
if [ -f .carry/build.tar.xz ]; then tar -xJf .carry/build.tar.xz; fi
if [ -x "$B/w4a16" ] && [ "$(cat $B/SOURCE_ID 2>/dev/null)" = "$(scripts/source-id.sh)" ] &&
   ! ldd "$B/w4a16" "$B"/tests/test_* 2>/dev/null | grep -q "not found"; then
  note "build: carried ($B, source id $(cat $B/SOURCE_ID))"
  cp "$B/ptxas.log" "$OUT/ptxas.log" 2>/dev/null
else
  B=build-gpu
  cmake -S . -B "$B" -G Ninja -DW4A16_CUDA_ARCHS="90a-real" -DW4A16_PTXAS_VERBOSE=ON >"$OUT/cmake.log" 2>&1 &&
    ninja -C "$B" >"$OUT/ptxas.log" 2>&1 || { note "build: FAILED (see ptxas.log)"; tail -30 "$OUT/ptxas.log"; exit 1; }
  note "build: on the device in $(( $(date +%s) - t0 )) s"
fi
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv,noheader | tee -a "$SUMMARY"
"$B/w4a16" info | tee "$OUT/info.txt" | sed -n '1,8p'

# ---- SASS: the sm90 kernel must use HGMMA and TMA (UTMALDG); the sm80 kernel HMMA --------------------
if has tests || has quick; then
  so=$(ls "$B"/libw4a16.so.* 2>/dev/null | head -1)
  cuobjdump -sass "$so" >"$OUT/sass.txt" 2>&1
  awk '/Function :/ {f=$3} /HGMMA|UTMALDG|HMMA|LDSM|LDGSTS|STL|LDL/ {
         for (i=1;i<=NF;i++) if ($i ~ /^(HGMMA|UTMALDG|HMMA|LDSM|LDGSTS|STL|LDL)/) { split($i,a,"."); c[f" "a[1]]++ } }
       END { for (k in c) print k, c[k] }' "$OUT/sass.txt" | sort >"$OUT/sass_counts.txt"
  note "sass: $(grep -c 'sm90_w4a16.* HGMMA' "$OUT/sass_counts.txt") sm90 kernels with HGMMA, \
$(grep -c 'sm90_w4a16.* UTMALDG' "$OUT/sass_counts.txt") with UTMALDG, \
$(grep -c 'sm80_w4a16.* HMMA' "$OUT/sass_counts.txt") sm80 kernels with HMMA, \
$(grep -cE ' (STL|LDL) ' "$OUT/sass_counts.txt") kernel(s) with local memory"
fi

# ---- tests --------------------------------------------------------------------------------------
run_test() {  # name [gtest args]
  local t=$1; shift
  timeout 400 "$B/tests/$t" --gtest_brief=1 "$@" >"$OUT/$t.log" 2>&1
  local rc=$?
  note "test $t: rc=$rc $(grep -E '^\[  (PASSED|FAILED) ' "$OUT/$t.log" | tr '\n' ' ')"
  [ $rc -ne 0 ] && grep -E 'Failure|FAILED|error' "$OUT/$t.log" | head -20
}
if has quick; then
  run_test test_gpu_reference
  run_test test_gpu_pack
  run_test test_sm90_w4a16 --gtest_filter='Family.*:*fp16_sym_g128*'
  run_test test_sm80_w4a16 --gtest_filter='Family.*:*fp16_sym_g128*'
fi
if has tests; then
  "$B/tests/test_cpu" --gtest_brief=1 >"$OUT/test_cpu.log" 2>&1; note "test test_cpu: rc=$?"
  for t in test_gpu_reference test_gpu_pack test_sm90_w4a16 test_sm80_w4a16; do run_test $t; done
  "$B/w4a16" check --quick >"$OUT/check.log" 2>&1; note "check --quick: rc=$? $(grep passed "$OUT/check.log" | tr '\n' ' ')"
fi
if has sanitize; then
  for tool in memcheck racecheck synccheck; do
    for fam in sm90 sm80; do
      timeout 300 compute-sanitizer --tool $tool --error-exitcode 9 "$B/w4a16" bench --backend $fam -m 33 -n 1000 \
        -k 448 --group 64 --zeros --bias --warmup 0 --iters 1 >"$OUT/san_${tool}_${fam}.log" 2>&1
      note "sanitize $tool $fam (M=33 N=1000 K=448 g64 zeros bias, split-K): rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/san_${tool}_${fam}.log" | head -1)"
      timeout 300 compute-sanitizer --tool $tool --error-exitcode 9 "$B/w4a16" bench --backend $fam -m 1 -n 4096 \
        -k 4096 --warmup 0 --iters 1 >"$OUT/san_${tool}_${fam}_decode.log" 2>&1
      note "sanitize $tool $fam (M=1 N=K=4096 split-K): rc=$? $(grep -E 'ERROR SUMMARY' "$OUT/san_${tool}_${fam}_decode.log" | head -1)"
    done
  done
fi

# ---- benchmarks -----------------------------------------------------------------------------------
if has smoke; then
  for fam in sm90 sm80; do
    for shape in "-m 1 -n 4096 -k 4096" "-m 16 -n 28672 -k 4096" "-m 64 -n 8192 -k 8192" "-m 256 -n 8192 -k 8192" \
                 "-m 4096 -n 8192 -k 8192"; do
      "$B/w4a16" bench --backend $fam $shape --warmup 3 --iters 20 2>&1 | grep -E "^(sm|  )" | tee -a "$OUT/smoke.txt"
    done
  done
fi
if has bench; then
  "$B/w4a16" bench --sweep --json "$OUT/bench_sm90.json" --warmup 5 --iters 30 >"$OUT/bench_sm90.txt" 2>&1
  note "bench sm90 sweep: rc=$?"
  "$B/w4a16" bench --sweep --backend sm80 --json "$OUT/bench_sm80.json" --warmup 5 --iters 30 >"$OUT/bench_sm80.txt" 2>&1
  note "bench sm80 sweep: rc=$?"
  "$B/w4a16" bench -m 1 -n 4096 -k 4096 --zeros --json "$OUT/bench_zeros.json" >"$OUT/bench_zeros.txt" 2>&1
  head -3 "$OUT/bench_sm90.txt"
  for f in sm90 sm80; do
    echo "== $f: M N K us cublas_us speedup %roof"
    grep -E "^$f" "$OUT/bench_$f.txt" | awk '{printf "%s %s %s %s %s %s %s\n", $3,$4,$5,$6,$7,$8,$11}'
  done
fi
note "total $(( $(date +%s) - t0 )) s"
echo "===== summary ====="
cat "$SUMMARY"
