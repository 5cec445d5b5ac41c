/* test_resolve.c - maxSurge / maxUnavailable resolution (models/deployment.c).
 *
 * 28 cases of the rule of docs/kubernetes.md §1 (deployment_util.go
 * ResolveFenceposts, MaxSurge, MaxUnavailable; upstream checks the same
 * rule in deployment_util_test.go TestResolveFenceposts and
 * TestMaxUnavailable), each expected value worked out by hand from the
 * rule, not produced by the program: resolved surge (deploy_max_surge with
 * RollingUpdate), MaxUnavailable used by the controller
 * (deploy_max_unavailable), minAvailable = R - U and max total pods = R +
 * surge. Plus: Recreate resolves to 0 / 0 whatever the values. Validation
 * (both literally 0, above 100 %) belongs to the scenario loader and is
 * tested there (tests/unit/test_scenario.c).
 */
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/intstr.h"

#define I(v) { 0, (v) }   /* absolute integer */
#define P(v) { 1, (v) }   /* percentage */

struct resolve_row {
	const char *name;
	int32_t replicas;
	struct intstr max_surge, max_unav;
	/* expected */
	int32_t surge;          /* resolved surge (MaxSurge) */
	int32_t unavailable;    /* MaxUnavailable used by controller */
	int32_t min_available;  /* R - U */
	int32_t max_total;      /* R + surge */
};

static const struct resolve_row resolve_rows[] = {
	{ "1: R=1 25%/25%",     1,   P(25),  P(25),  1,  0,  1,   2 },
	{ "2: R=3 0/25%",       3,   I(0),   P(25),  0,  1,  2,   3 },
	{ "3: R=10 1/0",        10,  I(1),   I(0),   1,  0,  10,  11 },
	{ "4: R=10 25%/25%",    10,  P(25),  P(25),  3,  2,  8,   13 },
	{ "5: R=4 25%/25%",     4,   P(25),  P(25),  1,  1,  3,   5 },
	{ "6: R=5 25%/25%",     5,   P(25),  P(25),  2,  1,  4,   7 },
	{ "7: R=2 25%/25%",     2,   P(25),  P(25),  1,  0,  2,   3 },
	{ "8: R=3 25%/25%",     3,   P(25),  P(25),  1,  0,  3,   4 },
	{ "9: R=100 25%/25%",   100, P(25),  P(25),  25, 25, 75,  125 },
	{ "10: R=10 100%/0",    10,  P(100), I(0),   10, 0,  10,  20 },
	{ "11: R=10 0/100%",    10,  I(0),   P(100), 0,  10, 0,   10 },
	{ "12: R=10 0%/10%",    10,  P(0),   P(10),  0,  1,  9,   10 },
	{ "13: R=7 30%/30%",    7,   P(30),  P(30),  3,  2,  5,   10 },
	{ "14: R=0 25%/25%",    0,   P(25),  P(25),  0,  0,  0,   0 },
	{ "15: R=5 0/10",       5,   I(0),   I(10),  0,  5,  0,   5 },
	{ "16: R=1 0/1",        1,   I(0),   I(1),   0,  1,  0,   1 },
	{ "17: R=1 0/50%",      1,   I(0),   P(50),  0,  1,  0,   1 },
	{ "18: R=20 5%/5%",     20,  P(5),   P(5),   1,  1,  19,  21 },
	{ "19: R=19 5%/5%",     19,  P(5),   P(5),   1,  0,  19,  20 },
	{ "20: R=3 50%/50%",    3,   P(50),  P(50),  2,  1,  2,   5 },
	{ "21: R=6 33%/33%",    6,   P(33),  P(33),  2,  1,  5,   8 },
	{ "22: R=10 200%/0",    10,  P(200), I(0),   20, 0,  10,  30 },
	{ "23: R=1 100%/100%",  1,   P(100), P(100), 1,  1,  0,   2 },
	{ "24: R=9 10%/10%",    9,   P(10),  P(10),  1,  0,  9,   10 },
	{ "25: R=15 20%/0",     15,  P(20),  I(0),   3,  0,  15,  18 },
	{ "26: R=10 1/25%",     10,  I(1),   P(25),  1,  2,  8,   11 },
	{ "27: R=8 2/3",        8,   I(2),   I(3),   2,  3,  5,   10 },
	{ "28: R=4 0/1%",       4,   I(0),   P(1),   0,  1,  3,   4 },
};

#define N_ROWS (sizeof(resolve_rows) / sizeof(resolve_rows[0]))

Test(conformance, resolve_table_has_28_rows)
{
	cr_assert_eq(N_ROWS, (size_t)28, "28 cases expected, table has %zu",
		     N_ROWS);
}

Test(conformance, resolve_rolling_update)
{
	size_t i;

	for (i = 0; i < N_ROWS; i++) {
		const struct resolve_row *r = &resolve_rows[i];
		int32_t s = deploy_max_surge(STRATEGY_ROLLING_UPDATE, r->replicas,
					     r->max_surge, r->max_unav);
		int32_t u = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE,
						   r->replicas, r->max_surge,
						   r->max_unav);

		cr_expect_eq(s, r->surge, "row %s: surge expected %d, got %d",
			     r->name, r->surge, s);
		cr_expect_eq(u, r->unavailable,
			     "row %s: MaxUnavailable expected %d, got %d",
			     r->name, r->unavailable, u);
		cr_expect_eq(r->replicas - u, r->min_available,
			     "row %s: minAvailable expected %d, got %d", r->name,
			     r->min_available, r->replicas - u);
		cr_expect_eq(r->replicas + s, r->max_total,
			     "row %s: max total expected %d, got %d", r->name,
			     r->max_total, r->replicas + s);
	}
}

/* Recreate uses neither value: MaxSurge and MaxUnavailable are 0, so
 * minAvailable is R and the maximum total R. */
Test(conformance, resolve_recreate_is_zero)
{
	size_t i;

	for (i = 0; i < N_ROWS; i++) {
		const struct resolve_row *r = &resolve_rows[i];
		int32_t s = deploy_max_surge(STRATEGY_RECREATE, r->replicas,
					     r->max_surge, r->max_unav);
		int32_t u = deploy_max_unavailable(STRATEGY_RECREATE, r->replicas,
						   r->max_surge, r->max_unav);

		cr_expect_eq(s, 0, "row %s (Recreate): surge expected 0, got %d",
			     r->name, s);
		cr_expect_eq(u, 0,
			     "row %s (Recreate): MaxUnavailable expected 0, got %d",
			     r->name, u);
	}
}

/* maxSurge has no upper bound (docs/kubernetes.md §1): 150 % of 10 is a
 * valid surge of 15. */
Test(conformance, resolve_surge_150_percent)
{
	int32_t s = deploy_max_surge(STRATEGY_ROLLING_UPDATE, 10,
				     intstr_percent(150), intstr_int(0));
	int32_t u = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE, 10,
					   intstr_percent(150), intstr_int(0));

	cr_expect_eq(s, 15, "R=10 150%%/0: surge expected 15, got %d", s);
	cr_expect_eq(u, 0, "R=10 150%%/0: MaxUnavailable expected 0, got %d", u);
}
