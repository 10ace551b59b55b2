#!/usr/bin/env bash
# ab.sh -- variants of one problem timed in one device call, interleaved (every repeat runs every
# variant once, in turn), so card and clock drift hit them alike. A variant is a build plus an
# environment: "new" is the carried build (.carry/build.tar.xz, unpacked by gpu-check.sh or here),
# any other build name NAME another carried build saved as .carry/NAME.tar.xz (same layout; "old"
# by convention). Prints, per case, each variant's median of `w4a16 bench` (graph replay, weights
# rotated past L2) over the repeats, with every repeat's figure; a verification failure is printed
# as it happens.
#
#   scripts/ab.sh [REPEATS] < cases     one case per line: "M N K [bench options...]"
#   AB_SIDES   the variants, "label:build[:VAR=value[,VAR=value...]]" separated by spaces;
#              default "old:old new:new"
#   AB_ORDER   "alternate" (default): odd repeats run the variants in reverse order, since the first
#              variant of a repeat was seen to read ~1% low on unchanged code; "fixed": as listed
#   AB_RAW     a file that gets one line per run as it happens ("repeat case label us  case  kernel"), so a call
#              cut short still returns what ran
#   e.g.  echo "1 8192 8192 --zeros" | scripts/ab.sh 5
#         echo "1 8192 8192" | AB_SIDES="pdl:new nopdl:new:W4A16_PDL=0" scripts/ab.sh 5
set -uo pipefail
REPEATS=${1:-5}
ITERS=${AB_ITERS:-15}
SIDES=${AB_SIDES:-old:old new:new}
[ -x build-carry/w4a16 ] || tar -xJf .carry/build.tar.xz
ids="new: $(cat build-carry/SOURCE_ID)"
declare -A BIN=([new]=build-carry/w4a16)
for side in $SIDES; do
  IFS=: read -r _ build _ <<<"$side"
  build=${build:-new}
  [ -n "${BIN[$build]:-}" ] && continue
  dir=${TMPDIR:-/tmp}/ab-$build
  mkdir -p "$dir" && tar -xJf ".carry/$build.tar.xz" -C "$dir" || exit 1
  BIN[$build]=$dir/build-carry/w4a16
  ids="$build: $(cat "$dir/build-carry/SOURCE_ID")  $ids"
done
echo "$ids  repeats $REPEATS, iters $ITERS, variants: $SIDES"
mapfile -t CASES
declare -A T
for ((r = 0; r < REPEATS; ++r)); do
  for i in "${!CASES[@]}"; do
    read -r m n k opts <<<"${CASES[$i]}"
    order=$SIDES
    [ "${AB_ORDER:-alternate}" = alternate ] && ((r % 2)) && order=$(tr ' ' '\n' <<<"$SIDES" | tac | tr '\n' ' ')
    for side in $order; do
      IFS=: read -r label build envs <<<"$side"
      bin=${BIN[${build:-new}]}
      # shellcheck disable=SC2086
      out=$(env ${envs//,/ } "$bin" bench -m "$m" -n "$n" -k "$k" $opts --warmup 5 --iters "$ITERS" 2>&1)
      grep -q "VERIFY FAILED" <<<"$out" && echo "VERIFY FAILED ($label): ${CASES[$i]}" && grep "VERIFY" <<<"$out"
      read -r us kern < <(awk -v m="$m" -v n="$n" -v k="$k" '$3 == m && $4 == n && $5 == k {print $6, $2; exit}' <<<"$out")
      T[$i,$label]="${T[$i,$label]:-} ${us:-NA}"
      [ -n "${AB_RAW:-}" ] && echo "$r $i $label ${us:-NA}  ${CASES[$i]}  ${kern:-}" >>"$AB_RAW"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for i in "${!CASES[@]}"; do
  line=$(printf '%-28s' "${CASES[$i]}")
  for side in $SIDES; do
    label=${side%%:*}
    line+=$(printf '  %s %7s (%s)' "$label" "$(median <<<"${T[$i,$label]}")" "${T[$i,$label]# }")
  done
  echo "$line"
done
