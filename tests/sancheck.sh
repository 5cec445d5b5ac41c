#!/bin/sh
# sancheck.sh DIR - after a sanitizer pass of the test suite: fails when
# any process wrote a sanitizer report into DIR/log/ (printed here) or
# when DIR/test.log does not end with zero failing and crashing tests.
dir=$1
status=0
for f in "$dir"/log/*; do
	[ -e "$f" ] || continue
	echo "== sanitizer report $f"
	cat "$f"
	status=1
done
if ! grep -q "Failing: 0 | Crashing: 0" "$dir/test.log"; then
	echo "sancheck: failing or crashing tests in $dir/test.log"
	status=1
fi
exit $status
