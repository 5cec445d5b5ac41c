/* test_decide.c - how maxSurge and maxUnavailable are written in words
 * (models/decide.c decide_bounds_text, used by `rollsim explain` and the
 * summary of `rollsim run`).
 *
 * Every expected string is worked out by hand from docs/kubernetes.md §1:
 * a percentage p of R is p * R / 100 exactly; maxSurge rounds it up,
 * maxUnavailable down; when both resolve to 0, maxUnavailable becomes 1;
 * an absolute maxUnavailable above R is clamped to R.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "models/decide.h"

static struct deploy_config rolling(int32_t r, struct intstr s,
				    struct intstr u)
{
	struct deploy_config d;

	deploy_config_defaults(&d);
	d.replicas = r;
	d.max_surge = s;
	d.max_unavailable = u;
	return d;
}

static void expect(const struct deploy_config *d, enum decide_style st,
		   const char *want)
{
	char buf[512];

	decide_bounds_text(d, st, buf, sizeof(buf));
	cr_expect_str_eq(buf, want);
}

/* 25 % of 3 = 0.75: up 1, down 0 (the "25 % of 3 is 1 unavailable" the
 * browser toys show is wrong: it is 0). */
Test(decide, quarter_of_3)
{
	struct deploy_config d = rolling(3, intstr_percent(25),
					 intstr_percent(25));

	expect(&d, DECIDE_COLON, "maxSurge 25% of 3 = 0.75, rounded up: 1, "
	       "maxUnavailable 25% of 3 = 0.75, rounded down: 0");
}

/* 25 % of 4 = 1 exactly: no rounding to speak of. */
Test(decide, quarter_of_4)
{
	struct deploy_config d = rolling(4, intstr_percent(25),
					 intstr_percent(25));

	expect(&d, DECIDE_COLON, "maxSurge 25% of 4 = 1, maxUnavailable 25% "
	       "of 4 = 1");
}

/* 25 % of 5 = 1.25: up 2, down 1. */
Test(decide, quarter_of_5)
{
	struct deploy_config d = rolling(5, intstr_percent(25),
					 intstr_percent(25));

	expect(&d, DECIDE_COLON, "maxSurge 25% of 5 = 1.25, rounded up: 2, "
	       "maxUnavailable 25% of 5 = 1.25, rounded down: 1");
	expect(&d, DECIDE_ARROW, "maxSurge 25% of 5 = 1.25 -> 2 (rounded "
	       "up), maxUnavailable 25% of 5 = 1.25 -> 1 (rounded down)");
}

/* 25 % of 10 = 2.5: up 3, down 2. */
Test(decide, quarter_of_10)
{
	struct deploy_config d = rolling(10, intstr_percent(25),
					 intstr_percent(25));

	expect(&d, DECIDE_COLON, "maxSurge 25% of 10 = 2.5, rounded up: 3, "
	       "maxUnavailable 25% of 10 = 2.5, rounded down: 2");
}

/* maxSurge 0, maxUnavailable 25 % of 3 = 0.75 -> 0: both 0, so 1. */
Test(decide, both_zero_fencepost)
{
	struct deploy_config d = rolling(3, intstr_int(0),
					 intstr_percent(25));

	expect(&d, DECIDE_COLON, "maxSurge 0, maxUnavailable 25% of 3 = 0.75, "
	       "rounded down: 0; both 0: maxUnavailable becomes 1 so the "
	       "rollout can progress");
}

/* The conservative 1 / 0: pod counts, used as they are. */
Test(decide, one_zero)
{
	struct deploy_config d = rolling(5, intstr_int(1), intstr_int(0));

	expect(&d, DECIDE_COLON, "maxSurge 1, maxUnavailable 0");
}

/* 0 / 10 with 5 replicas: 10 is clamped to 5. */
Test(decide, unavailable_clamped)
{
	struct deploy_config d = rolling(5, intstr_int(0), intstr_int(10));

	expect(&d, DECIDE_COLON, "maxSurge 0, maxUnavailable 10; more than "
	       "the 5 replicas: maxUnavailable 5");
}

/* 33 % of 5 = 1.65 (two decimals kept exactly), 10 % of 7 = 0.7. */
Test(decide, decimals_exact)
{
	struct deploy_config d = rolling(5, intstr_percent(33),
					 intstr_percent(33));
	struct deploy_config e = rolling(7, intstr_percent(10),
					 intstr_percent(10));

	expect(&d, DECIDE_COLON, "maxSurge 33% of 5 = 1.65, rounded up: 2, "
	       "maxUnavailable 33% of 5 = 1.65, rounded down: 1");
	expect(&e, DECIDE_COLON, "maxSurge 10% of 7 = 0.7, rounded up: 1, "
	       "maxUnavailable 10% of 7 = 0.7, rounded down: 0");
}

Test(decide, recreate)
{
	struct deploy_config d = rolling(5, intstr_percent(25),
					 intstr_percent(25));

	d.strategy = STRATEGY_RECREATE;
	expect(&d, DECIDE_COLON, "Recreate: every old pod goes before any new "
	       "one starts (maxSurge and maxUnavailable do not apply)");
}
