#!/usr/bin/env bash
# gpu-check.sh -- everything one device call does: build (or take a carried build), GPU tests,
# sanitizers, SASS check, tuning tables, benchmark sweeps. Logs go to $OUT/logs.tgz (re-packed after
# every step, so a call cut short still returns what ran), JSON and the summary to $OUT.
#
#   scripts/gpu-check.sh STEP...   steps: quick tests sanitize sass smoke tune bench zeros   (default: all but zeros,
#                                  which bench includes)
#
# A build made here with scripts/build-carry.sh travels as .carry/build.tar.xz (name `.carry` in the
# device call's carry list); it is used when its source id matches the tree, otherwise this script
# builds for sm_90a with every core.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-out}
LOG=${TMPDIR:-/tmp}/w4a16-logs  # packed into $OUT/logs.tgz: the call returns at most 8 files
mkdir -p "$LOG"
STEPS=${*:-quick tests sanitize sass smoke tune bench}  # also: probe (stride experiment + ncu)
# BENCH_FAMILIES limits the bench step (default "sm90 sm80"); BENCH_DTYPES its sweeps' dtypes (default
# "fp16"; "fp16 bf16" adds bench_<family>_bf16.json). The speed-up charts go into logs.tgz.
has() { [[ " $STEPS " == *" $1 "* ]]; }
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
pack() { tar -czf "$OUT/logs.tgz" -C "$LOG" . 2>/dev/null; }
t0=$(date +%s)

# ---- build --------------------------------------------------------------------------------------
B=build-carry
if [ -f .carry/build.tar.xz ]; then tar -xJf .carry/build.tar.xz; fi
if [ -x "$B/w4a16" ] && [ "$(cat $B/SOURCE_ID 2>/dev/null)" = "$(scripts/source-id.sh)" ] &&
   ! ldd "$B/w4a16" "$B"/tests/test_* 2>/dev/null | grep -q "not found"; then
  note "build: carried ($B, source id $(cat $B/SOURCE_ID))"
  cp "$B/ptxas.log" "$LOG/ptxas.log" 2>/dev/null || true
else
  B=build-gpu
  cmake -S . -B "$B" -G Ninja -DW4A16_CUDA_ARCHS="90a-real" -DW4A16_PTXAS_VERBOSE=ON >"$LOG/cmake.log" 2>&1 &&
    ninja -C "$B" >"$LOG/ptxas.log" 2>&1 || { note "build: FAILED"; tail -30 "$LOG/ptxas.log"; pack; exit 1; }
  note "build: on the device in $(( $(date +%s) - t0 )) s"
fi
note "gpu: $(nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv,noheader)"
"$B/w4a16" info >"$LOG/info.txt" 2>&1

# ---- SASS: the sm90 kernels must use HGMMA and TMA (UTMALDG); the sm80 kernels HMMA -----------------
if has sass; then
  so=$(ls "$B"/libw4a16.so.* | head -1)
  cuobjdump -sass "$so" >"$LOG/sass.txt" 2>&1
  awk '/Function :/ {f=$3} {for (i=1;i<=NF;i++) if ($i ~ /^(HGMMA|UTMALDG|HMMA|LDSM|LDGSTS|STL|LDL|USETMAXREG)/) {
         split($i,a,"."); c[f" "a[1]]++ } } END { for (k in c) print k, c[k] }' "$LOG/sass.txt" | sort >"$LOG/sass_counts.txt"
  note "sass: $(grep -c 'sm90_w4a16.* HGMMA' "$LOG/sass_counts.txt") sm90 kernels with HGMMA," \
    "$(grep -c 'sm90_w4a16.* UTMALDG' "$LOG/sass_counts.txt") with UTMALDG," \
    "$(grep -c 'sm90_w4a16.* USETMAXREG' "$LOG/sass_counts.txt") with USETMAXREG," \
    "$(grep -c 'sm80_w4a16.* HMMA' "$LOG/sass_counts.txt") sm80 kernels with HMMA," \
    "$(grep -c 'gemv_w4a16.* HMMA' "$LOG/sass_counts.txt") gemv kernels with HMMA;" \
    "local memory (STL/LDL) in: $(grep -E ' (STL|LDL) ' "$LOG/sass_counts.txt" | awk '{print $1}' | sort -u | sed 's/_ZN5w4a1617//; s/EEEv.*//' | tr '\n' ' ')"
  rm -f "$LOG/sass.txt"
  pack
fi

# ---- tests --------------------------------------------------------------------------------------
run_test() {  # seconds name [gtest args]
  local secs=$1 t=$2; shift 2
  timeout "$secs" "$B/tests/$t" "$@" >"$LOG/$t.log" 2>&1
  local rc=$?
  note "test $t $*: rc=$rc $(grep -cE '^\[       OK \]' "$LOG/$t.log") ok, $(grep -cE '^\[  FAILED  \].*\(' "$LOG/$t.log") failed," \
    "$(grep -cE '^\[  SKIPPED \].*\(' "$LOG/$t.log") skipped$([ $rc = 124 ] && echo ", TIMED OUT in: $(grep -E '^\[ RUN' "$LOG/$t.log" | tail -1)")"
  grep -E '^\[  FAILED  \].*\(' "$LOG/$t.log" | head -8 | tee -a "$SUMMARY"
  grep -B2 -A6 -m3 'Failure' "$LOG/$t.log" | head -40
  pack
}
if has quick; then
  run_test 100 test_sm90_w4a16 --gtest_filter='Family.*:*fp16_sym_g128*:*bf16_zeros_g32*'
  run_test 100 test_sm80_w4a16 --gtest_filter='Family.*:*fp16_sym_g128*:*bf16_zeros_g32*'
fi
if has tests; then
  run_test 60 test_cpu
  run_test 90 test_gpu_reference
  run_test 90 test_gpu_pack
  # ~29 s and ~3 s on the H200; a hang (a candidate kernel's barrier) is cut at 120 s instead of eating the call
  run_test 120 test_sm90_w4a16
  run_test 120 test_sm80_w4a16
  timeout 120 "$B/w4a16" check --quick >"$LOG/check.log" 2>&1
  note "check --quick: rc=$? $(grep passed "$LOG/check.log" | tr '\n' ' ')"
  # examples/linear.c (CI builds it against the installed package, on the CPU backend) compiled
  # here against this build's libw4a16.so and run on the GPU, through the C API only.
  cuda=$(dirname "$(dirname "$(command -v nvcc)")")
  if gcc -O2 -std=c11 examples/linear.c -Iinclude -I"$cuda/include" -L"$B" -lw4a16 -L"$cuda/lib64" -lcudart -lm \
       -Wl,-rpath,"$PWD/$B" -o "$LOG/linear" >"$LOG/linear.log" 2>&1; then
    for shape in "16 4096 4096" "1 4104 4096" "300 1000 512"; do
      timeout 120 "$LOG/linear" $shape >>"$LOG/linear.log" 2>&1
      note "example linear $shape: rc=$? $(grep -E 'family|FAILED' "$LOG/linear.log" | tail -1)"
    done
  else
    note "example linear: build FAILED: $(tail -3 "$LOG/linear.log")"
  fi
  rm -f "$LOG/linear"
  pack
fi
if has sanitize; then
  # racecheck runs with the workspace fixup: under racecheck a launch with the cluster fixup never
  # finishes (seen on the H100 with CUDA 13.0's compute-sanitizer: rank 0's wait for its partner's
  # st.async bytes does not complete, also with the barrier armed at setup; memcheck and synccheck
  # run it and report 0 errors).
  for tool in memcheck racecheck synccheck; do
    for fam in sm90 sm80; do
      cr=1; [ $tool = racecheck ] && cr=0
      W4A16_CLUSTER_REDUCE=$cr timeout 180 compute-sanitizer --tool $tool --error-exitcode 9 "$B/tests/test_${fam}_w4a16" \
        --gtest_filter='Family.SanitizerSubset:Sm90.StreamKDecode:Sm90.StreamKFill:Sm90.SplitTail' >"$LOG/san.log" 2>&1
      rc=$?
      note "sanitize $tool $fam (SanitizerSubset: split-K, tails, zeros, bias, 2nd schedule; sm90 stream-K, stream-K fill, split tail$([ $cr = 1 ] && echo " and cluster fixup")): rc=$rc" \
        "$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$LOG/san.log" | head -1) $(grep -cE '^\[       OK' "$LOG/san.log") ok"
      [ $rc != 0 ] && cp "$LOG/san.log" "$LOG/san_${tool}_${fam}_fail.log"
    done
  done
  pack
fi

# ---- performance ----------------------------------------------------------------------------------
if has smoke; then
  for fam in sm90 sm80; do
    for shape in "-m 1 -n 4096 -k 4096" "-m 16 -n 28672 -k 4096" "-m 64 -n 8192 -k 8192" "-m 256 -n 8192 -k 8192" \
                 "-m 4096 -n 8192 -k 8192"; do
      timeout 60 "$B/w4a16" bench --backend $fam $shape --warmup 3 --iters 20 2>&1 | grep -E "^(sm|  )" | tee -a "$LOG/smoke.txt"
    done
  done
  pack
fi
if has probe; then
  # Large M at K = 8192 and 8320 (the first session's "stride" probe; the cause was split-K, see
  # docs/PERFORMANCE.md), then the decode kernel's SASS opcode mix and ncu stall reasons.
  for k in 8192 8320; do
    for fam in sm90 sm80; do
      timeout 60 "$B/w4a16" bench --backend $fam -m 4096 -n 8192 -k $k --warmup 2 --iters 5 2>&1 | grep -E "^(sm|  )" | tee -a "$LOG/probe.txt"
    done
  done
  # Decode: the consumer loop's SASS and the stall reasons.
  so=$(ls "$B"/libw4a16.so.* | head -1)
  # fp16 coop_r128_t8, whole-group scales, no pair code, symmetric (kZmNone)
  cuobjdump -sass -fun '_ZN5w4a1617sm90_w4a16_kernelILb0ELi1ELi8ELi128ELb0ELi1ELb1ELb0ELi0EEEv14CUtensorMap_stS1_S1_S1_NS_10Sm90ParamsE' \
    "$so" >"$LOG/sass_sm90_t8.txt" 2>&1
  echo "sm90 t8 opcodes: $(grep -oE '^\s+/\*[0-9a-f]+\*/\s+[A-Z][A-Z0-9_.]+' "$LOG/sass_sm90_t8.txt" | awk '{print $2}' | sed 's/\..*//' | sort | uniq -c | sort -rn | head -25 | tr '\n' ' ')"
  timeout 120 ncu --metrics regex:smsp__average_warps_issue_stalled_.*_per_issue_active.ratio,regex:smsp__cycles_active.avg,gpu__time_duration.sum \
    -k regex:sm90_w4a16 --launch-count 1 "$B/w4a16" bench --backend sm90 -m 16 -n 28672 -k 4096 --warmup 0 --iters 1 >"$LOG/ncu_stalls.txt" 2>&1
  echo "== ncu stalls, sm90 M=16 N=28672 K=4096 (per issued instruction):"
  grep -E "stalled|duration|cycles_active" "$LOG/ncu_stalls.txt" | awk '{print $NF, $1}' | sort -rn | head -14
  pack
fi
if has tune; then
  for fam in sm90 sm80; do
    timeout 200 "$B/w4a16" tune --backend $fam -m 1,16,64,128,256,1024,4096 -n 8192 -k 8192 --iters 10 \
      --out "$OUT/tune_$fam.tsv" 2>&1 | tee -a "$LOG/tune.txt" | grep -E "best|M="
  done
  pack
fi
if has bench; then
  for dt in ${BENCH_DTYPES:-fp16}; do
  sfx=""; dtflag=""; [ "$dt" = bf16 ] && sfx="_bf16" && dtflag="--dtype bf16"
  for fam in ${BENCH_FAMILIES:-sm90 sm80}; do
    # The SM clock, power and throttle reasons every 100 ms while the sweep runs: decode points
    # follow the SM clock, which the power cap lowers under the large-M points.
    nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu,clocks_event_reasons.active \
      --format=csv,noheader -lms 100 >"$LOG/clocks_$fam$sfx.csv" 2>/dev/null &
    smi=$!
    timeout 400 "$B/w4a16" bench --sweep --backend $fam $dtflag --json "$OUT/bench_$fam$sfx.json" --warmup 3 --iters 15 \
      >"$LOG/bench_$fam$sfx.txt" 2>&1
    rc=$?
    kill $smi 2>/dev/null
    note "bench $fam $dt sweep: rc=$rc; SM clock during it (MHz, min/median/max): $(cut -d, -f2 "$LOG/clocks_$fam$sfx.csv" |
      grep -oE '[0-9]+' | sort -n | awk '{a[NR]=$1} END {if (NR) print a[1], a[int((NR+1)/2)], a[NR]}')"
    head -2 "$LOG/bench_$fam$sfx.txt" | tail -1
    echo "== $fam $dt: M N K us cublas_us speedup %roof MHz cublasMHz"
    grep -E "^$fam" "$LOG/bench_$fam$sfx.txt" | awk '{printf "%s %s %s %s %s %s %s %s %s\n", $3,$4,$5,$6,$7,$8,$11,$13,$14}'
    python3 scripts/plot_speedup.py "$LOG/speedup_$fam$sfx.png" "$OUT/bench_$fam$sfx.json" >/dev/null 2>&1
    pack
  done
  done
  pack
fi
# Scale + zero against scale only (sm90 only; ZEROS_DTYPE, fp16 unless set): ZEROS_REPEATS (default 5; odd,
# so the median is one timing) interleaved repeats of each point of ZEROS_POINTS ("MxNxK ..."), medians and
# their ratio. Runs with the bench step (when its families include sm90) or alone as the step "zeros". The
# default points: 8192^2 at four M and M=16 on the four issue shapes and 8192x28672, which read +10.4% while
# 8192^2 read +4.6% in the same call (twenty-seventh session, before version 110).
if has zeros || { has bench && [[ " ${BENCH_FAMILIES:-sm90} " == *" sm90 "* ]]; }; then
  : >"$LOG/zeros.txt"
  ZPTS=${ZEROS_POINTS:-1x8192x8192 16x8192x8192 256x8192x8192 4096x8192x8192 16x28672x4096 16x4096x14336 16x57344x8192 16x8192x28672}
  for pt in $ZPTS; do
    IFS=x read -r m n k <<<"$pt"
    for rep in $(seq "${ZEROS_REPEATS:-5}"); do
      for z in "" "--zeros"; do
        timeout 120 "$B/w4a16" bench --backend sm90 --dtype "${ZEROS_DTYPE:-fp16}" -m "$m" -n "$n" -k "$k" $z --warmup 3 --iters 15 2>&1 |
          grep -E "^sm90" | awk -v z="${z:-sym}" '{print "zeros-vs-sym", z, $3, $4, $5, $6}' >>"$LOG/zeros.txt"
      done
    done
  done
  # One line per requested point: both medians, zeros / sym, and every repeat; "n/a" where a side has no timing.
  awk -v dt="${ZEROS_DTYPE:-fp16}" -v pts="$ZPTS" '{p = $3 "x" $4 "x" $5; v[p, $2] = v[p, $2] " " $6}
      function med(s,   a, c, i, j, t) { c = split(s, a, " "); for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
        if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t } return a[int((c + 1) / 2)] }
      END { n = split(pts, o, " "); for (i = 1; i <= n; i++) { p = o[i]
        if (v[p, "sym"] == "" || v[p, "--zeros"] == "") {
          printf "zeros-vs-sym %s %s: n/a, no timing (sym:%s; zeros:%s)\n", dt, p, v[p, "sym"], v[p, "--zeros"]; continue }
        s = med(v[p, "sym"]); zz = med(v[p, "--zeros"])
        printf "zeros-vs-sym %s %s: scale-only %s us, scale+zero %s us, %+.1f%% (sym:%s; zeros:%s)\n", dt, p, s, zz,
          100 * (zz / s - 1), v[p, "sym"], v[p, "--zeros"] } }' "$LOG/zeros.txt" |
    tee "$LOG/zeros_median.txt" | tee -a "$SUMMARY"
  pack
fi
note "total $(( $(date +%s) - t0 )) s"
pack
echo "===== summary ====="
cat "$SUMMARY"
