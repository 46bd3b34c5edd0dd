#!/usr/bin/env bash
# fuzz.sh run|merge - the libFuzzer targets build/fuzz/fuzz_* (make
# fuzz-build), one at a time under nice.
#   run:   each target FUZZ_SECONDS (60) over build/fuzz/work/TARGET, a copy
#          of fuzz/corpus/TARGET/ (the seeds and every crash found once, so
#          each run replays them first); prints per target the executions
#          and executions per second libFuzzer reports; fails when any
#          target crashed, leaked, timed out or ran out of memory (the
#          input is saved as build/fuzz/crash/TARGET/crash-*: fix the bug and
#          add the input to fuzz/corpus/TARGET/).
#   merge: add to fuzz/corpus/TARGET/ the inputs of build/fuzz/work/TARGET
#          that cover code its seeds do not (libFuzzer -merge=1).
# FUZZ_TARGETS=fuzz_csv,fuzz_xlsx limits either to those targets.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
secs=${FUZZ_SECONDS:-60}
fz=build/fuzz
targets=()
for b in "$fz"/fuzz_*; do
	[ -x "$b" ] || continue
	n=$(basename "$b")
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ ",$FUZZ_TARGETS," != *",$n,"* ]]; then
		continue
	fi
	targets+=("$n")
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no targets in $fz (make fuzz-build)" >&2
	exit 1
fi

# Options of a target: fuzz/TARGET.options holds extra libFuzzer flags.
opts() {
	local f=fuzz/$1.options
	[ -f "$f" ] && grep -v '^#' "$f" | tr '\n' ' '
}

failed=()
total=0
for n in "${targets[@]}"; do
	seeds=fuzz/corpus/$n
	work=$fz/work/$n
	if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds")" ]; then
		echo "fuzz.sh: $n has no seed corpus in $seeds" >&2
		failed+=("$n")
		continue
	fi
	mkdir -p "$work" "$fz/crash/$n"
	cp -p "$seeds"/* "$work"/
	if [ "$mode" = merge ]; then
		# shellcheck disable=SC2046
		nice -n 10 "$fz/$n" -merge=1 $(opts "$n") "$seeds" "$work" >"$fz/$n.merge.log" 2>&1 ||
			{ echo "fuzz.sh: merging $n failed ($fz/$n.merge.log)" >&2; failed+=("$n"); continue; }
		echo "$n: $(ls "$seeds" | wc -l) inputs in $seeds"
		continue
	fi
	log=$fz/$n.log
	# shellcheck disable=SC2046
	nice -n 10 "$fz/$n" -max_total_time="$secs" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
		-artifact_prefix="$fz/crash/$n/" $(opts "$n") "$work" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
		echo "$n: FAILED (exit $rc), see $log:"
		grep -m 1 -A 12 -E '^==[0-9]+==|runtime error|deadly signal|ERROR: libFuzzer' "$log" | head -n 30
		ls "$fz/crash/$n" | sed "s|^|  $fz/crash/$n/|"
		failed+=("$n")
		continue
	fi
	total=$((total + execs))
	printf '%-16s %12s execs %8s/s  %s  corpus %s\n' "$n" "$execs" "$rate" "${cov:-cov: ?}" "$(ls "$work" | wc -l)"
done
[ "$mode" = run ] && echo "total: $total executions over ${#targets[@]} targets, $secs s each"
if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz.sh: failed: ${failed[*]}" >&2
	exit 1
fi
