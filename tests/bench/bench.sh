#!/bin/sh
# bench.sh - speed comparisons of rollsim against the speed anchors.
#
# Usage: [BENCH_ANCHORS=DIR] sh tests/bench/bench.sh BUILD_DIR
# Sections: engine hold vs a bare heap; the seed walk-through at 1,000
# replicas and the replica scaling 1k / 10k / 100k; the reference scenario
# per request and aggregate vs SimPy and the bare C loop; 100 replicas at
# 20,000 requests/s; traffic cost 1k vs 100k requests/s in both modes;
# peak memory; a sweep on 1 thread and on all cores.
# (BUILD_DIR holds bench_engine; `make bench` passes the Makefile's
# BENCH_ANCHORS.) Each comparison is one section function below; results
# go to stdout and the raw outputs to BUILD_DIR/bench/. BENCH_QUICK=1
# passes --quick to the programs (op counts / 4) for smoke runs.
# The anchors are not part of the repository: DIR holds heap_limit.c (a
# bare 4-ary heap) and compare.sh (the reference scenario as a SimPy model
# and a bare C request loop). Without DIR, or without an anchor in it, the
# sections that need it say so and are skipped; the others still run.
# Machines are shared and noisy: only ratios measured in the same run mean
# anything.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
ANCHORS=${BENCH_ANCHORS:-}
OUT="$BUILD/bench"
QUICK=""
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	QUICK=--quick
fi
STATUS=0
mkdir -p "$OUT"

if [ -n "$ANCHORS" ] && [ -d "$ANCHORS" ]; then
	ANCHORS=$(cd "$ANCHORS" && pwd)
	echo "speed anchors: $ANCHORS"
else
	if [ -n "$ANCHORS" ]; then
		echo "speed anchors: $ANCHORS: no such directory; the" \
		     "comparisons against them are skipped"
	else
		echo "speed anchors: none given (make bench" \
		     "BENCH_ANCHORS=DIR); the comparisons against them" \
		     "are skipped"
	fi
	ANCHORS=""
fi

# --- section: engine hold vs the bare 4-ary heap (heap_limit pop_push) ---
# Builds heap_limit.c exactly as its header says, runs it and bench_engine,
# and prints ns per hold op of both and the ratio engine / bare heap.
section_engine_vs_heap() {
	echo "== engine hold vs bare 4-ary heap (pop_push) =="
	src="$ANCHORS/heap_limit.c"
	if [ -z "$ANCHORS" ] || [ ! -f "$src" ]; then
		echo "skipped: no heap_limit.c in BENCH_ANCHORS"
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

# --- section: the seed scenario scaled to 1,000 replicas (controllers) ---
# Events per second of a whole run (process wall time, median of 3).
section_seed_1000() {
	echo "== seed walk-through scaled to 1,000 replicas =="
	python3 - "$HERE/../../rollsim" "$HERE/flask-1000.json" <<'EOF2'
import json, subprocess, sys, time
exe, scen = sys.argv[1], sys.argv[2]
walls, events = [], None
for _ in range(3):
    t0 = time.perf_counter()
    out = subprocess.run([exe, "run", scen, "--json"], check=True,
                         capture_output=True, text=True).stdout
    walls.append(time.perf_counter() - t0)
    events = json.loads(out)["events"]["total"]
w = sorted(walls)[1]
print("events %d, wall %.3f s (process), %.0f events/s" % (events, w, events / w))
EOF2
}

# --- section: the reference traffic scenario against SimPy and bare C ---
# The anchors' compare.sh runs the bare C request loop, the SimPy model
# and rollsim per request (through --set) on the same cases and prints the
# ratios; then rollsim with traffic.mode "aggregate" is timed on the same
# cases (median of the same number of runs) against compare.sh's SimPy
# and bare C numbers. The reference pods run near capacity (Erlang-B 3 %),
# where the aggregate mode simulates per request: expect about the same.
section_reference() {
	echo "== reference scenario: rollsim (per request, aggregate) vs SimPy vs bare C loop =="
	if [ -z "$ANCHORS" ] || [ ! -f "$ANCHORS/compare.sh" ]; then
		echo "skipped: no compare.sh in BENCH_ANCHORS"
		return 0
	fi
	if ! /usr/bin/python3 -c 'import SimPy.Simulation' 2>/dev/null; then
		echo "skipped: python3-simpy missing (apt-get install python3-simpy)"
		return 0
	fi
	exe="$HERE/../../rollsim"
	scen="$HERE/../../scenarios/bench-reference.json"
	reps=${BENCH_REPS:-3}
	# shellcheck disable=SC2086
	bash "$ANCHORS/compare.sh" --reps "$reps" $QUICK --json "$OUT/compare.json" \
		--name rollsim --engine "exec $exe run $scen --json --seed {seed} \
--set deployment.replicas={replicas} --set traffic.rate={rate} \
--set until={until}s" || return 1
	python3 - "$exe" "$scen" "$OUT/compare.json" "$reps" <<'EOF2'
import json, statistics, subprocess, sys, time
exe, scen, raw, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
d = json.load(open(raw))
cases = {"std": (5, 1000, 600), "wide": (50, 10000, 60)}
c_loop = [t for t in d["heap_limit"]["traffic_model"] if t["until_s"] == 600][0]
print("rollsim aggregate mode (traffic.mode=aggregate), same cases:")
for name, (rep, rate, until) in cases.items():
    if name not in d["simpy"]:
        continue
    walls, ev, agg = [], 0, 0
    for r in range(reps):
        cmd = [exe, "run", scen, "--json", "--seed", str(r + 1),
               "--set", "deployment.replicas=%d" % rep,
               "--set", "traffic.rate=%d" % rate, "--set", "until=%ds" % until,
               "--set", "traffic.mode=aggregate"]
        t0 = time.perf_counter()
        o = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                      text=True).stdout)
        walls.append(time.perf_counter() - t0)
        ev = o["events"]["total"]
        agg = o["requests"].get("aggregated", 0) / max(1, o["requests"]["total"])
    w = statistics.median(walls)
    simpy = statistics.median(x["proc_wall_s"] for x in d["simpy"][name])
    per = statistics.median(x["proc_wall_s"] for x in d["engine"][name])
    print("  %-5s wall %.3f s (per request %.3f s), %d events, %.0f %% of "
          "requests aggregated; speed-up vs SimPy %.1fx (per request %.1fx)"
          % (name, w, per, ev, 100 * agg, simpy / w, simpy / per))
    if name == "std":
        print("  %-5s wall vs the bare C request loop: %.2fx its time "
              "(per request %.2fx)" % (name, w / c_loop["wall_s"],
                                       per / c_loop["wall_s"]))
EOF2
}

# --- section: replica scaling (the seed walk-through, 10 min) ---
# Wall time of the whole process at 1,000, 10,000 and 100,000 replicas and
# the ratios; near-linear cost means 10k / 1k close to the event ratio.
section_replicas() {
	echo "== replica scaling: the seed walk-through for 10 min =="
	python3 - "$HERE/../../rollsim" "$HERE/flask-1000.json" "${BENCH_QUICK:-0}" <<'EOF2'
import json, subprocess, sys, time
exe, scen, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
res = {}
for n in ([1000, 10000] if quick else [1000, 10000, 100000]):
    walls, ev = [], 0
    limit = 120
    try:
        for _ in range(1 if n >= 100000 else 3):
            t0 = time.perf_counter()
            o = json.loads(subprocess.run(
                [exe, "run", scen, "--json", "--set",
                 "deployment.replicas=%d" % n, "--set", "until=10m"],
                check=True, capture_output=True, text=True,
                timeout=limit).stdout)
            walls.append(time.perf_counter() - t0)
            ev = o["events"]["total"]
    except subprocess.TimeoutExpired:
        print("replicas %6d: stopped after %d s (goal: under 10 s)" % (n, limit))
        continue
    w = sorted(walls)[len(walls) // 2]
    res[n] = (w, ev)
    print("replicas %6d: %9d events, wall %7.3f s, %.2f M events/s"
          % (n, ev, w, ev / w / 1e6))
for n in sorted(res)[1:]:
    print("ratio %dk / 1k: wall %.1fx, events %.1fx" % (
        n // 1000, res[n][0] / res[1000][0], res[n][1] / res[1000][1]))
EOF2
}

# --- section: aggregate traffic, 1,000 vs 100,000 requests/s ---
# The reference scenario with 100 replicas of concurrency 100 (far from
# capacity at both rates), 600 s, in each traffic mode.
section_rate() {
	echo "== traffic cost: 1,000 vs 100,000 requests/s (100 replicas, concurrency 100, 600 s) =="
	python3 - "$HERE/../../rollsim" "$HERE/../../scenarios/bench-reference.json" "${BENCH_QUICK:-0}" <<'EOF2'
import json, subprocess, sys, time
exe, scen, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
until = 60 if quick else 600
res = {}
for mode in ("per-request", "aggregate"):
    for rate in (1000, 100000):
        cmd = [exe, "run", scen, "--json", "--set", "deployment.replicas=100",
               "--set", 'images["app:1"].concurrency=100',
               "--set", 'images["app:2"].concurrency=100',
               "--set", "traffic.rate=%d" % rate, "--set", "until=%ds" % until,
               "--set", "traffic.mode=" + mode]
        # the median of 3 (one run of the slow per-request 100k case)
        walls = []
        for _ in range(1 if (mode, rate) == ("per-request", 100000) else 3):
            t0 = time.perf_counter()
            o = json.loads(subprocess.run(cmd, check=True,
                                          capture_output=True,
                                          text=True).stdout)
            walls.append(time.perf_counter() - t0)
        w = sorted(walls)[len(walls) // 2]
        res[mode, rate] = w
        print("%-11s %6d req/s: %10d requests, %9d events, wall %7.3f s"
              % (mode, rate, o["requests"]["total"], o["events"]["total"], w))
for mode in ("per-request", "aggregate"):
    print("%-11s cost 100k / 1k: %.2fx%s" % (
        mode, res[mode, 100000] / res[mode, 1000],
        " (goal: within 2x)" if mode == "aggregate" else ""))
print("aggregate at 100k vs per-request at 1k: %.2fx"
      % (res["aggregate", 100000] / res["per-request", 1000]))
EOF2
}

# --- section: 100 replicas at 20,000 requests/s ---
section_wide() {
	echo "== 100 replicas, 20,000 requests/s, 60 s =="
	python3 - "$HERE/../../rollsim" "$HERE/../../scenarios/bench-reference.json" <<'EOF2'
import json, subprocess, sys, time
exe, scen = sys.argv[1], sys.argv[2]
cmd = [exe, "run", scen, "--json", "--set", "deployment.replicas=100",
       "--set", "traffic.rate=20000", "--set", "until=60s"]
t0 = time.perf_counter()
d = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                              text=True).stdout)
w = time.perf_counter() - t0
print("requests %d, events %d, wall %.3f s, %.0f events/s" % (
    d["requests"]["total"], d["events"]["total"], w, d["events"]["total"] / w))
EOF2
}

# --- section: memory does not grow with the number of requests ---
# Peak RSS of a run with 10^6 requests and of one with 10^8 (same rate,
# 100x longer): they must be about the same.
section_memory() {
	echo "== peak memory: 10^6 vs 10^8 requests =="
	python3 - "$HERE/../../rollsim" "$HERE/../../scenarios/bench-reference.json" "${BENCH_QUICK:-0}" <<'EOF2'
import os, subprocess, sys, json
exe, scen, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
big = 10**7 if quick else 10**8
res = []
for n in (10**6, big):
    until = n / 100000.0
    p = subprocess.Popen([exe, "run", scen, "--json",
                          "--set", "traffic.rate=100000",
                          "--set", "deployment.replicas=50",
                          "--set", "until=%gs" % until],
                         stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    res.append((json.loads(out)["requests"]["total"], ru.ru_maxrss))
for n, rss in res:
    print("requests %11d  peak RSS %7d KiB" % (n, rss))
print("peak RSS ratio (big / small): %.2f" % (res[1][1] / float(res[0][1])))
EOF2
}

# --- section: a 4 x 4 x 100-run sweep on 1 thread and on all cores ---
section_sweep() {
	echo "== sweep 4 x 4 x 100 runs (1,000 requests/s, 10 min each) =="
	reps=100
	[ "${BENCH_QUICK:-0}" = 1 ] && reps=10
	python3 - "$HERE/../../rollsim" "$HERE/sweep-4x4.json" "$OUT" "$reps" <<'EOF2'
import os, subprocess, sys, time
exe, scen, out, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
cores = os.cpu_count() or 1
walls = {}
for jobs in sorted({1, cores}):
    d = os.path.join(out, "sweep-j%d" % jobs)
    t0 = time.perf_counter()
    subprocess.run([exe, "sweep", scen, "--out", d, "--jobs", str(jobs),
                    "--replications", reps, "--quiet"], check=True)
    walls[jobs] = time.perf_counter() - t0
    print("jobs %d: %d runs in %.1f s" % (jobs, 16 * int(reps), walls[jobs]))
if cores > 1:
    print("speed-up 1 -> %d threads: %.2fx" % (cores, walls[1] / walls[cores]))
same = open(os.path.join(out, "sweep-j1", "runs.csv")).read() == \
       open(os.path.join(out, "sweep-j%d" % cores, "runs.csv")).read()
print("runs.csv identical across thread counts: %s" % same)
EOF2
}

section_seed_1000 || STATUS=1
section_replicas || STATUS=1
section_reference || STATUS=1
section_wide || STATUS=1
section_rate || STATUS=1
section_memory || STATUS=1
section_sweep || STATUS=1

exit "$STATUS"
