/* test_limits.c - integer limits of the controllers' arithmetic and one
 * line per error (models/intstr.c, models/deployment*.c, sim/core/err.c).
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

#include "models/deployment.h"
#include "models/intstr.h"
#include "sim/core/err.h"

Test(limits, max_total_saturates)
{
	cr_expect_eq(deploy_max_total(3, 2), 5);
	cr_expect_eq(deploy_max_total(3, INT32_MAX), INT32_MAX);
	cr_expect_eq(deploy_max_total(INT32_MAX, INT32_MAX), INT32_MAX);
	cr_expect_eq(deploy_max_total(0, INT32_MAX), INT32_MAX);
}

/* ceil(p * R / 100): 2147483647 % of 100000 is 2147483647000, capped;
 * 200 % of 100000 is 200000 exactly. */
Test(limits, percentage_surge_saturates)
{
	cr_expect_eq(intstr_scaled(intstr_percent(INT32_MAX), 100000, 1),
		     INT32_MAX);
	cr_expect_eq(intstr_scaled(intstr_percent(INT32_MAX), 100000, 0),
		     INT32_MAX);
	cr_expect_eq(intstr_scaled(intstr_percent(200), 100000, 1), 200000);
	cr_expect_eq(deploy_max_surge(STRATEGY_ROLLING_UPDATE, 100000,
				      intstr_percent(INT32_MAX),
				      intstr_int(0)), INT32_MAX);
}

/* NewRSNewReplicas: min(maxTotal - all, R - new). With maxSurge
 * 2147483647 and 3 replicas the new ReplicaSet is born with all 3 (3 old
 * pods exist: maxTotal - 3 is huge, R - 0 = 3), and grows to R from any
 * size. */
Test(limits, new_rs_with_int32_max_surge)
{
	cr_expect_eq(deploy_new_rs_replicas(3, INT32_MAX, 0, 3), 3);
	cr_expect_eq(deploy_new_rs_replicas(3, INT32_MAX, 1, 4), 3);
	cr_expect_eq(deploy_new_rs_replicas(100000, INT32_MAX, 0, 100000),
		     100000);
}

/* Proportional scaling (sync.go scale) from 3 to 4 replicas with maxSurge
 * 2147483647: allowed = min(4 + 2147483647, INT32_MAX) = 2147483647, both
 * ReplicaSets have 3 (sum 6), so 2147483641 are to add. Each fraction is
 * round(3 * (4 + 2147483647) / 2147483647) - 3 = round(3.0000000056) - 3
 * = 0 (the max-replicas annotation was min(3 + 2147483647, INT32_MAX));
 * the leftover goes to the first in size order, ties newer first when
 * growing: the new ReplicaSet gets 3 + 2147483641 = 2147483644. The sum
 * is the allowed size; nothing wraps. (The world refuses to create that
 * many pods: DEPLOY_PODS_MAX.) */
Test(limits, proportional_scaling_with_int32_max_surge)
{
	const struct rs_scale_in rs[2] = {
		{ 3, 3, 3, INT32_MAX },   /* old */
		{ 3, 0, 3, INT32_MAX },   /* new */
	};
	int32_t out[2] = { -7, -7 };
	int n = deploy_scale(STRATEGY_ROLLING_UPDATE, 4, INT32_MAX, 6, rs, 2,
			     1, out);

	cr_expect_eq(n, 2);
	cr_expect_eq(out[0], 3);
	cr_expect_eq(out[1], INT32_MAX - 3);
}

/* An absent annotation falls back to status.replicas: a fraction of
 * 3 * 2147483651 / 1 is far above INT32_MAX and must be capped before it
 * becomes an int (UB otherwise); what is left to add still bounds it. */
Test(limits, huge_fraction_is_capped)
{
	const struct rs_scale_in rs[2] = {
		{ 3, 3, 3, -1 },
		{ 3, 0, 3, -1 },
	};
	int32_t out[2] = { -7, -7 };

	deploy_scale(STRATEGY_ROLLING_UPDATE, 4, INT32_MAX, 1, rs, 2, 1, out);
	cr_expect_eq((int64_t)out[0] + out[1], INT32_MAX);
	cr_expect(out[0] >= 0 && out[1] >= 0, "%d %d", out[0], out[1]);
}

/* A file name with a newline and an escape character, a path and a
 * message with a tab: one line, C-style escapes, other bytes kept. */
Test(limits, error_lines_escape_control_characters)
{
	struct rsim_error err = { 0 };
	char line[256], buf[16];

	rsim_error_set(&err, RSIM_EINPUT, "a\nb\x1b[31m\x7f.json", "x\ty",
		       "bad\rvalue \xc3\xa9");
	rsim_error_format(&err, line, sizeof(line));
	cr_expect_str_eq(line, "a\\nb\\x1b[31m\\x7f.json: x\\ty: "
			 "bad\\rvalue \xc3\xa9");
	cr_expect_null(strchr(line, '\n'));
	/* cut to the buffer, never inside an escape */
	cr_expect_str_eq(rsim_escape("ab\ncd", buf, 4), "ab");
	cr_expect_str_eq(rsim_escape("ab\ncd", buf, 6), "ab\\nc");
	cr_expect_str_eq(rsim_escape("plain", buf, sizeof(buf)), "plain");
}
