#!/bin/sh
# bench.sh - speed comparisons of rollsim against the shared anchors.
#
# Usage: sh tests/bench/bench.sh BUILD_DIR   (BUILD_DIR holds bench_engine)
# Each comparison is one section function below; results go to stdout and
# the raw outputs to BUILD_DIR/bench/. BENCH_QUICK=1 passes --quick to the
# programs (op counts / 4) for smoke runs. The anchors live in ../shared
# beside the repository; a missing anchor skips its section with a message.
# Machines are shared and noisy: only ratios measured in the same run mean
# anything.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED_BENCH="$HERE/../../../shared/bench"
OUT="$BUILD/bench"
QUICK=""
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	QUICK=--quick
fi
STATUS=0
mkdir -p "$OUT"

# --- section: engine hold vs the bare 4-ary heap (heap_limit pop_push) ---
# Builds heap_limit.c exactly as its header says, runs it and bench_engine,
# and prints ns per hold op of both and the ratio engine / bare heap.
section_engine_vs_heap() {
	echo "== engine hold vs bare 4-ary heap (pop_push) =="
	src="$SHARED_BENCH/heap_limit.c"
	if [ ! -f "$src" ]; then
		echo "skipped: $src not found (needs ../shared beside the repo)"
		return 0
	fi
	if [ ! -x "$BUILD/bench_engine" ]; then
		echo "error: $BUILD/bench_engine missing; build it first" >&2
		return 1
	fi
	gcc -O2 -march=native -o "$BUILD/heap_limit" "$src" -lm || return 1
	# shellcheck disable=SC2086 # QUICK is empty or one word
	"$BUILD/heap_limit" $QUICK >"$OUT/heap_limit.json" || return 1
	# shellcheck disable=SC2086
	"$BUILD/bench_engine" $QUICK >"$OUT/engine.txt" || return 1
	python3 - "$OUT/heap_limit.json" "$OUT/engine.txt" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    bare = {h["n"]: h["ns_per_hold"] for h in json.load(f)["hold"]
            if h["heap"] == "4-ary" and h["mode"] == "pop_push"}
eng = {}
with open(sys.argv[2]) as f:
    for line in f:
        if line.startswith("{"):
            eng.update(json.loads(line))
hold = eng["engine_hold_ns"]
cancel = eng.get("engine_hold_cancel_ns", {})
print("%-10s %14s %14s %8s %18s" % ("pending", "bare ns/op", "engine ns/op",
                                    "ratio", "engine+cancel"))
for n in (100, 10000, 1000000):
    b, e = bare.get(n), hold.get(str(n))
    if b is None or e is None:
        print("%-10d missing data" % n)
        continue
    c = cancel.get(str(n))
    print("%-10d %14.2f %14.2f %8.2f %18s" % (n, b, e, e / b,
          "%.2f" % c if c is not None else "-"))
print(json.dumps({"engine_vs_heap_ratio": {
    str(n): round(hold[str(n)] / bare[n], 3)
    for n in (100, 10000, 1000000) if n in bare and str(n) in hold}}))
EOF
}

section_engine_vs_heap || STATUS=1

exit "$STATUS"
