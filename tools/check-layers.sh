#!/bin/sh
# check-layers.sh - fails when a source file includes a header of a layer
# above its own (run by make test as make check-layers).
#
# The layers, bottom to top; a file may include its own layer and the
# ones below, never one above:
#   0 sim/core      engine, clock, random streams, distributions, stats,
#                   errors, allocation, strings, files, hashes
#   1 models        the Kubernetes world
#   2 sim/scenario  files to a world configuration
#   3 sim/report    one run's output files
#   4 sim/sweep     batch experiments and their files
#   4 sim/teach     kubectl's views of a run, explain, quiz
#   5 plots         the gnuplot driver
#   6 sim/main.c    the command line
# Tests (tests/) may include anything. An include is resolved next to
# the including file first, then from the repository root, as the
# compiler does with -I.
#
# usage: check-layers.sh [ROOT]   (ROOT: the repository, by default the
# one this script is in)
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

layer() {
	case $1 in
	sim/core/*) echo 0 ;;
	models/*) echo 1 ;;
	sim/scenario/*) echo 2 ;;
	sim/report/*) echo 3 ;;
	sim/sweep/*) echo 4 ;;
	sim/teach/*) echo 4 ;;
	plots/*) echo 5 ;;
	sim/main.c) echo 6 ;;
	*) echo x ;;
	esac
}

fail=0
files=$(for d in sim models plots; do
	[ -d "$d" ] && find "$d" -name '*.[ch]'
done | sort)
for f in $files; do
	from=$(layer "$f")
	if [ "$from" = x ]; then
		echo "$f: not in any layer (tools/check-layers.sh)"
		fail=1
		continue
	fi
	dir=$(dirname "$f")
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' >"${TMPDIR:-/tmp}/layers.$$"
	while read -r line inc; do
		if [ -f "$dir/$inc" ]; then
			target=$(realpath --relative-to=. "$dir/$inc")
		elif [ -f "$inc" ]; then
			target=$inc
		else
			echo "$f:$line: cannot find \"$inc\""
			fail=1
			continue
		fi
		to=$(layer "$target")
		if [ "$to" = x ]; then
			echo "$f:$line: includes $target, which is in no layer"
			fail=1
		elif [ "$to" -gt "$from" ]; then
			echo "$f:$line: includes $target, a layer above $f's"
			fail=1
		fi
	done <"${TMPDIR:-/tmp}/layers.$$"
	rm -f "${TMPDIR:-/tmp}/layers.$$"
done
[ "$fail" -eq 0 ] && echo "layers: every include points down"
exit "$fail"
