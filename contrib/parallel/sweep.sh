#!/bin/bash
# sweep.sh - a rollsim sweep as N shards run by GNU parallel, on this
# machine or on others over ssh, merged into RESULTS/all.
#
#   contrib/parallel/sweep.sh SCENARIO.json N RESULTS [parallel options]
#
# Each shard is `rollsim sweep SCENARIO --shard K/N --out RESULTS/shard-K
# --quiet --jobs 1`; parallel runs one shard per core (its default -j).
# Extra arguments go to parallel, e.g. over ssh on a shared file system:
#
#   contrib/parallel/sweep.sh scen.json 32 results \
#       --sshloginfile nodes.txt --workdir .
#
# (nodes.txt: one "cores/host" per line; rollsim must be in PATH there, or
# set ROLLSIM to a path valid on every host.) The merged files are
# byte-identical to a single `rollsim sweep` of the same plan. A failed or
# interrupted shard stops the others (--halt now,fail=1); run the script
# again with ROLLSIM_RESUME=1 to keep every finished run.
#
# Environment: ROLLSIM (default: rollsim), ROLLSIM_RESUME=1.
set -euo pipefail

if (( $# < 3 )); then
	echo "usage: $0 SCENARIO.json N RESULTS [parallel options]" >&2
	exit 2
fi
scenario=$1 n=$2 results=$3
shift 3
if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
	echo "$0: N must be a positive integer, got \"$n\"" >&2
	exit 2
fi
rollsim=${ROLLSIM:-rollsim}
resume=
[[ ${ROLLSIM_RESUME:-0} == 1 ]] && resume=--resume

mkdir -p "$results"
parallel --halt now,fail=1 "$@" \
	"$rollsim" sweep "$scenario" --shard {}/"$n" \
	--out "$results"/shard-{} --quiet --jobs 1 $resume \
	::: $(seq 1 "$n")
# the shards of this plan only (not stale shard-* of a larger N)
mapfile -t dirs < <(seq -f "$results/shard-%g" 1 "$n")
"$rollsim" merge "${dirs[@]}" --out "$results/all"
