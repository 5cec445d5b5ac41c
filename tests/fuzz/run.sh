#!/bin/sh
# run.sh BUILD SECONDS TARGET... - runs each libFuzzer target of make fuzz
# in turn (nice 10) for SECONDS on the seeds of tests/fuzz/corpus and the
# regression inputs, keeping what it learns in BUILD/corpus/TARGET.
# Fails when a target stops early: a crash, a sanitizer report, a leak,
# an input slower than 5 s or above 2 GB (the input lands in BUILD/crash/).
set -u
build=$1
secs=$2
shift 2
fail=0
for t in "$@"; do
	mkdir -p "$build/corpus/$t" "$build/crash"
	regress=""
	[ -d "tests/fuzz/regress/$t" ] && regress="tests/fuzz/regress/$t"
	log="$build/fuzz_$t.log"
	# stdin from /dev/null: no input can make a target wait on a terminal
	# shellcheck disable=SC2086 # regress is one word or none
	nice -n 10 "$build/fuzz_$t" -max_total_time="$secs" -timeout=5 \
		-rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
		-dict="tests/fuzz/$t.dict" -artifact_prefix="$build/crash/$t-" \
		"$build/corpus/$t" "tests/fuzz/corpus/$t" $regress \
		</dev/null >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	echo "fuzz $t: ${runs:-?} inputs, ${rate:-?}/s, exit $rc ($log)"
	if [ "$rc" -ne 0 ]; then
		fail=1
		grep -E "ERROR:|runtime error|^fuzz:|Test unit written|timeout" \
			"$log" | head -n 8
	fi
done
exit $fail
