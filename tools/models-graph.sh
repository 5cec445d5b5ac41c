#!/bin/sh
# models-graph.sh [DIR] - which models/ file calls which: for every symbol a
# models object uses and another models object defines, print
# "user -> definer  symbol". DIR defaults to build/rel/models (run make first).
d=${1:-build/rel/models}
nm=nm
command -v gcc-nm >/dev/null 2>&1 && nm=gcc-nm   # the objects are LTO
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for o in "$d"/*.o; do
	f=$(basename "$o" .o)
	$nm "$o" | awk -v f="$f" '$2 ~ /^[TDBRC]$/ { print $3, f }'
done | sort > "$tmp/def"
for o in "$d"/*.o; do
	f=$(basename "$o" .o)
	$nm -u "$o" | awk -v f="$f" '{ print $NF, f }'
done | sort > "$tmp/use"
join "$tmp/use" "$tmp/def" | awk '$2 != $3 { print $2 " -> " $3 "  " $1 }' |
	sort -k1,1 -k3,3 -k4
