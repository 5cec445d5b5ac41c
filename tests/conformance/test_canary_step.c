/* test_canary_step.c - the basic canary's arithmetic (canary_step.c)
 * against argo-rollouts' own tables and the targets of
 * docs/progressive.md §1.
 *
 * The rows of utils/replicaset/canary_test.go are copied as upstream
 * states them (test name in each row's comment; rows that need traffic
 * routing or setCanaryScale are not basic canary and are left out): they
 * are Argo's expectations, not values produced here. Upstream's fixture
 * (newRollout) has one step setWeight W at index 0, a stable ReplicaSet
 * "stable" and a canary "canary", so the desired weight is W (100 with
 * promoteFull). The target table is derived by hand from
 * approximateWeightedCanaryStableReplicaCounts: candidates (ceil, N),
 * (floor, N), and with surge (ceil, N+1), (floor, N+1), the closest to
 * the weight winning, the earlier on a tie.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/canary_step.h"
#include "models/intstr.h"
#include "models/progressive.h"

#define I(v) { 0, (v) }
#define P(v) { 1, (v) }

/* -------------------------------------------- TestCalculateReplicaCounts */

struct calc_row {
	const char *name;
	int32_t n, weight;
	struct intstr ms, mu;
	int promote_full;
	int32_t st_spec, st_avail, ca_spec, ca_avail;
	int32_t exp_stable, exp_canary;
	int has_older;
	int32_t older_spec;
};

/* TestCalculateReplicaCountsForCanary, the basic-canary rows, by name */
static const struct calc_row calc_rows[] = {
	{ "Do not add extra RSs in scaleDownCount when .Spec.Replica < "
	  "AvailableReplicas", 10, 100, I(3), I(0), 0, 7, 8, 6, 3, 7, 6, 0, 0 },
	{ "Use max surge int to scale up canary", 10, 20, I(2), I(0), 0,
	  10, 10, 0, 0, 10, 2, 0, 0 },
	{ "Use max surge percentage to scale up canary", 10, 20, P(20), I(0),
	  0, 10, 10, 0, 0, 10, 2, 0, 0 },
	{ "Scale down extra stable replicas", 10, 20, P(20), I(0), 0,
	  10, 10, 2, 2, 8, 2, 0, 0 },
	{ "Do not go past max surge", 10, 30, I(2), I(0), 0,
	  10, 10, 0, 0, 10, 2, 0, 0 },
	{ "Use max unavailable int to scale down stableRS", 10, 20, I(0), I(2),
	  0, 10, 10, 0, 0, 8, 0, 0, 0 },
	{ "Use max surge percentage to scale down stableRS", 10, 20, I(0),
	  P(20), 0, 10, 10, 0, 0, 8, 0, 0, 0 },
	{ "Do not go past max unavailable", 10, 30, I(0), I(2), 0,
	  10, 10, 0, 0, 8, 0, 0, 0 },
	{ "Use Max Surge and Max Unavailable", 10, 50, I(2), I(1), 0,
	  10, 10, 0, 0, 9, 2, 0, 0 },
	{ "Scale canaryRS to zero on setWeight of 0%", 10, 0, I(1), I(1), 0,
	  10, 10, 1, 1, 10, 0, 0, 0 },
	{ "Scale stable to zero on setWeight of 100%", 10, 100, I(1), I(1), 0,
	  1, 1, 10, 10, 0, 10, 0, 0 },
	{ "Do not scale newRS down to zero on non-zero weight", 1, 20, I(1),
	  I(0), 0, 1, 1, 0, 0, 1, 1, 0, 0 },
	{ "Do not scale canaryRS down to zero on non-100 weight", 1, 90, I(1),
	  I(0), 0, 1, 1, 0, 0, 1, 1, 0, 0 },
	{ "Scale up Stable before newRS", 10, 30, I(1), I(0), 0,
	  1, 1, 0, 0, 7, 1, 1, 3 },
	{ "Scale down newRS and stable", 10, 30, I(0), I(3), 0,
	  8, 5, 4, 4, 7, 3, 0, 0 },
	{ "Scale down stable and canary available", 10, 100, I(1), I(0), 0,
	  10, 2, 10, 8, 2, 9, 0, 0 },
	{ "Do not scale down newRS or stable when older RS count >= "
	  "scaleDownCount", 10, 30, I(0), I(1), 0, 8, 6, 4, 2, 8, 4, 1, 3 },
	{ "Do not round past maxSurge with uneven setWeight divisor", 10, 5,
	  I(0), I(1), 0, 10, 10, 0, 0, 9, 0, 0, 0 },
	{ "Do not round past maxSurge with uneven setWeight divisor (part 2)",
	  10, 5, I(0), I(1), 0, 9, 9, 0, 0, 9, 1, 0, 0 },
	{ "Use maxUnavailable of 1 when percentage of maxUnavailable and "
	  "maxSurge result in 0 replicas", 10, 10, P(0), P(0), 0,
	  10, 10, 0, 0, 9, 0, 0, 0 },
	{ "Ignore setCanaryScale when trafficRouting is missing and use "
	  "setWeight for replicas", 10, 20, P(20), I(0), 0,
	  10, 10, 0, 0, 10, 2, 0, 0 },
	{ "honor maxSurge during scale up when stableRS unavailable", 4, 100,
	  I(1), I(0), 0, 4, 1, 0, 0, 4, 1, 0, 0 },
	{ "scale down to maxunavailable without exceeding maxSurge", 3, 99,
	  I(0), I(2), 0, 3, 3, 0, 0, 1, 0, 0, 0 },
	{ "scale down to maxunavailable without exceeding maxSurge (part 2)",
	  3, 99, I(0), I(2), 0, 1, 1, 0, 0, 1, 2, 0, 0 },
	{ "honor maxUnavailable during scale down stableRS unavailable", 4,
	  100, I(1), I(0), 0, 4, 1, 1, 1, 3, 1, 0, 0 },
	{ "honor maxUnavailable when aborting or reducing weight part 1", 4, 0,
	  I(1), I(0), 0, 0, 0, 4, 4, 1, 4, 0, 0 },
	{ "honor maxUnavailable when aborting or reducing weight part 2", 4, 0,
	  I(1), I(0), 0, 1, 0, 4, 4, 1, 4, 0, 0 },
	{ "honor maxUnavailable when aborting or reducing weight part 3", 4, 0,
	  I(1), I(0), 0, 1, 1, 4, 4, 1, 3, 0, 0 },
	{ "promote full does not consider weight", 4, 1, I(4), I(4), 1,
	  4, 4, 0, 0, 0, 4, 0, 0 },
	{ "promote full still honors maxSurge/maxUnavailable", 4, 1, I(3),
	  I(0), 1, 4, 4, 0, 0, 4, 3, 0, 0 },
};

/* Upstream's fixture: one step setWeight w, current step 0. */
static void one_step(struct canary_config *c, int32_t w)
{
	memset(c, 0, sizeof(*c));
	c->n_steps = 1;
	c->steps[0].kind = CANARY_SET_WEIGHT;
	c->steps[0].weight = w;
}

Test(canary_step, calculate_replica_counts_for_canary)
{
	size_t i;

	for (i = 0; i < sizeof(calc_rows) / sizeof(calc_rows[0]); i++) {
		const struct calc_row *r = &calc_rows[i];
		struct canary_config c;
		struct canary_rs st = { r->st_spec, r->st_avail, r->st_spec };
		struct canary_rs ca = { r->ca_spec, r->ca_avail, r->ca_spec };
		struct canary_calc_in in;
		int32_t newc, stablec;

		one_step(&c, r->weight);
		memset(&in, 0, sizeof(in));
		in.replicas = r->n;
		in.weight = canary_desired_weight(&c, 0, 0, r->promote_full,
						  1, 0);
		in.surge = canary_max_surge(r->n, r->ms, r->mu);
		in.unavailable = canary_max_unavailable(r->n, r->ms, r->mu);
		in.newrs = &ca;
		in.stable = &st;
		in.older_spec = r->has_older ? r->older_spec : 0;
		canary_basic_counts(&in, &newc, &stablec);
		cr_expect_eq(newc, r->exp_canary, "%s: canary %d, expected %d",
			     r->name, newc, r->exp_canary);
		cr_expect_eq(stablec, r->exp_stable,
			     "%s: stable %d, expected %d", r->name, stablec,
			     r->exp_stable);
	}
}

/* TestCalculateReplicaCountsForNewDeployment: stable and new are the
 * same ReplicaSet (10 spec, 0 available), weight 10, surge 0, unav 1. */
Test(canary_step, calculate_replica_counts_for_new_deployment)
{
	struct canary_rs rs = { 10, 0, 10 };
	struct canary_calc_in in = { 10, 10, 0, 1, &rs, &rs, 1, 0 };
	int32_t newc, stablec;

	canary_basic_counts(&in, &newc, &stablec);
	cr_expect_eq(newc, 10);
	cr_expect_eq(stablec, 0);
}

/* TestCalculateReplicaCountsForCanaryStableRSdEdgeCases: no stable
 * (status.stableRS "": weight 100), then stable == new; 9/9 both ways. */
Test(canary_step, calculate_replica_counts_stable_edge_cases)
{
	struct canary_config c;
	struct canary_rs rs = { 9, 9, 9 };
	struct canary_calc_in in = { 10, 0, 0, 1, &rs, NULL, 0, 0 };
	int32_t newc, stablec;

	one_step(&c, 10);
	in.weight = canary_desired_weight(&c, 0, 0, 0, 0, 0);
	cr_expect_eq(in.weight, 100);
	canary_basic_counts(&in, &newc, &stablec);
	cr_expect_eq(newc, 10);
	cr_expect_eq(stablec, 0);
	in.stable = &rs;
	in.stable_is_new = 1;
	canary_basic_counts(&in, &newc, &stablec);
	cr_expect_eq(newc, 10);
	cr_expect_eq(stablec, 0);
}

/* ------------------------------- TestApproximateWeightedNewStableReplica */

struct approx_row {
	int32_t n, weight, surge, exp_canary, exp_stable;
};

/* TestApproximateWeightedNewStableReplicaCounts, every row */
static const struct approx_row approx_rows[] = {
	{ 0, 0, 0, 0, 0 }, { 0, 50, 0, 0, 0 }, { 0, 100, 0, 0, 0 },
	{ 0, 0, 1, 0, 0 }, { 0, 50, 1, 0, 0 }, { 0, 100, 1, 0, 0 },
	{ 1, 0, 0, 0, 1 }, { 1, 1, 0, 0, 1 }, { 1, 49, 0, 0, 1 },
	{ 1, 50, 0, 1, 0 }, { 1, 99, 0, 1, 0 }, { 1, 100, 0, 1, 0 },
	{ 1, 0, 1, 0, 1 }, { 1, 1, 1, 1, 1 }, { 1, 49, 1, 1, 1 },
	{ 1, 50, 1, 1, 1 }, { 1, 99, 1, 1, 1 }, { 1, 100, 1, 1, 0 },
	{ 2, 0, 0, 0, 2 }, { 2, 1, 0, 1, 1 }, { 2, 50, 0, 1, 1 },
	{ 2, 99, 0, 1, 1 }, { 2, 100, 0, 2, 0 },
	{ 2, 0, 1, 0, 2 }, { 2, 1, 1, 1, 2 }, { 2, 50, 1, 1, 1 },
	{ 2, 99, 1, 2, 1 }, { 2, 100, 1, 2, 0 },
	{ 3, 10, 0, 1, 2 }, { 3, 25, 0, 1, 2 }, { 3, 33, 0, 1, 2 },
	{ 3, 34, 0, 1, 2 }, { 3, 49, 0, 1, 2 }, { 3, 50, 0, 2, 1 },
	{ 3, 10, 1, 1, 3 }, { 3, 25, 1, 1, 3 }, { 3, 33, 1, 1, 2 },
	{ 3, 34, 1, 1, 2 }, { 3, 49, 1, 2, 2 }, { 3, 50, 1, 2, 2 },
	{ 10, 0, 1, 0, 10 }, { 10, 1, 0, 1, 9 }, { 10, 14, 0, 1, 9 },
	{ 10, 15, 0, 2, 8 }, { 10, 16, 0, 2, 8 }, { 10, 99, 0, 9, 1 },
	{ 10, 100, 1, 10, 0 },
	{ 10, 0, 1, 0, 10 }, { 10, 1, 1, 1, 10 }, { 10, 18, 1, 2, 9 },
	{ 10, 19, 1, 2, 9 }, { 10, 20, 1, 2, 8 }, { 10, 23, 1, 2, 8 },
	{ 10, 24, 1, 3, 8 }, { 10, 25, 1, 3, 8 }, { 10, 99, 1, 10, 1 },
	{ 10, 100, 1, 10, 0 },
};

static void expect_targets(int32_t n, int32_t w, int32_t surge,
			   int32_t exp_c, int32_t exp_s, const char *what)
{
	int32_t c, s;

	canary_targets(n, w, surge, &c, &s);
	cr_expect(c == exp_c && s == exp_s,
		  "%s: N=%d weight=%d surge=%d: %d/%d, expected %d/%d", what,
		  n, w, surge, c, s, exp_c, exp_s);
}

Test(canary_step, approximate_weighted_counts)
{
	size_t i;

	for (i = 0; i < sizeof(approx_rows) / sizeof(approx_rows[0]); i++) {
		const struct approx_row *r = &approx_rows[i];

		expect_targets(r->n, r->weight, r->surge, r->exp_canary,
			       r->exp_stable, "TestApproximateWeighted");
	}
}

/* docs/progressive.md §1's table: canary/stable with surge > 0, and with
 * surge 0. Rows N = 1, 3, 5, 10; columns the weights below. */
static const int32_t tw[9] = { 5, 10, 20, 25, 33, 41, 50, 80, 95 };
static const int32_t tn[4] = { 1, 3, 5, 10 };
static const int32_t tsurge[4][9][2] = {
	{ {1,1}, {1,1}, {1,1}, {1,1}, {1,1}, {1,1}, {1,1}, {1,1}, {1,1} },
	{ {1,3}, {1,3}, {1,3}, {1,3}, {1,2}, {1,2}, {2,2}, {3,1}, {3,1} },
	{ {1,5}, {1,5}, {1,4}, {1,4}, {2,4}, {2,3}, {3,3}, {4,1}, {5,1} },
	{ {1,10}, {1,9}, {2,8}, {3,8}, {3,7}, {4,6}, {5,5}, {8,2}, {10,1} },
};
static const int32_t tzero[4][9][2] = {
	{ {0,1}, {0,1}, {0,1}, {0,1}, {0,1}, {0,1}, {1,0}, {1,0}, {1,0} },
	{ {1,2}, {1,2}, {1,2}, {1,2}, {1,2}, {1,2}, {2,1}, {2,1}, {2,1} },
	{ {1,4}, {1,4}, {1,4}, {1,4}, {2,3}, {2,3}, {3,2}, {4,1}, {4,1} },
	{ {1,9}, {1,9}, {2,8}, {3,7}, {3,7}, {4,6}, {5,5}, {8,2}, {0,10} },
};

Test(canary_step, target_table)
{
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 9; j++) {
			expect_targets(tn[i], tw[j], 1, tsurge[i][j][0],
				       tsurge[i][j][1], "table surge 1");
			expect_targets(tn[i], tw[j], 3, tsurge[i][j][0],
				       tsurge[i][j][1], "table surge 3");
			expect_targets(tn[i], tw[j], 0, tzero[i][j][0],
				       tzero[i][j][1], "table surge 0");
		}
}

/* N*w/100 = N - 0.5 with surge 0: (ceil, N) is dropped as ceil == N
 * and w is not 0/100, (floor, N) as tied, and no surge candidate: the
 * "should not get here" branch returns (0, N). With surge the same
 * weights stay close to w. */
Test(canary_step, surge_zero_edge_cases)
{
	static const int32_t e[5][2] = {
		{ 2, 75 }, { 5, 90 }, { 10, 95 }, { 25, 98 }, { 50, 99 }
	};
	int i;

	for (i = 0; i < 5; i++)
		expect_targets(e[i][0], e[i][1], 0, 0, e[i][0],
			       "edge surge 0");
	expect_targets(2, 75, 1, 2, 1, "edge with surge");   /* 2/3 */
	expect_targets(50, 99, 1, 50, 1, "edge with surge"); /* 50/51 */
}

/* ------------------------------------------------------ smaller helpers */

/* TestGetCurrentSetWeight: index 1 of a one-step list -> 100; index 0 ->
 * its setWeight 10; aborted -> 0. Pause / analysis steps keep the
 * previous setWeight; none before -> 0. */
Test(canary_step, current_set_weight)
{
	struct canary_config c;

	one_step(&c, 10);
	cr_expect_eq(canary_set_weight(&c, 1, 0), 100);
	cr_expect_eq(canary_set_weight(&c, 0, 0), 10);
	cr_expect_eq(canary_set_weight(&c, 0, 1), 0);
	c.n_steps = 3;
	c.steps[0].kind = CANARY_PAUSE;
	c.steps[1].kind = CANARY_SET_WEIGHT;
	c.steps[1].weight = 40;
	c.steps[2].kind = CANARY_ANALYSIS;
	cr_expect_eq(canary_set_weight(&c, 0, 0), 0);
	cr_expect_eq(canary_set_weight(&c, 2, 0), 40);
	c.n_steps = 0;
	cr_expect_eq(canary_set_weight(&c, 0, 0), 100);
	/* TestGetCanaryReplicasOrWeight "test full promote rollout" and the
	 * aborted rollout without a stable ReplicaSet: both 100 */
	one_step(&c, 10);
	cr_expect_eq(canary_desired_weight(&c, 0, 0, 1, 1, 0), 100);
	cr_expect_eq(canary_desired_weight(&c, 0, 1, 0, 0, 0), 100);
	cr_expect_eq(canary_desired_weight(&c, 0, 1, 0, 1, 0), 0);
	cr_expect_eq(canary_desired_weight(&c, 0, 0, 0, 1, 1), 100);
}

/* TestGetReplicasForScaleDown */
Test(canary_step, replicas_for_scale_down)
{
	struct canary_rs a = { 3, 5, 3 }, b = { 3, 2, 3 };

	cr_expect_eq(canary_replicas_for_scale_down(NULL, 0), 0);
	cr_expect_eq(canary_replicas_for_scale_down(&a, 0), 3);
	cr_expect_eq(canary_replicas_for_scale_down(&b, 1), 3);
	cr_expect_eq(canary_replicas_for_scale_down(&b, 0), 2);
}

/* TestAtDesiredReplicaCountsForCanary (its setCanaryScale is ignored
 * without traffic routing): N 4, surge 1, unavailable 1. */
Test(canary_step, at_desired_replica_counts)
{
	struct canary_rs nr = { 2, 2, 2 }, st = { 2, 2, 2 };
	struct canary_calc_in in = { 4, 50, 1, 1, &nr, &st, 0, 0 };

	cr_expect(canary_at_desired(&in, 0), "at desired counts");
	nr.available = 1;
	cr_expect(!canary_at_desired(&in, 0), "new not available");
	nr = (struct canary_rs){ 3, 3, 3 };
	st = (struct canary_rs){ 2, 2, 2 };
	in.weight = 75;
	cr_expect(!canary_at_desired(&in, 0), "stable not at count");
	nr = (struct canary_rs){ 3, 3, 1 };
	st = (struct canary_rs){ 1, 0, 1 };
	cr_expect(canary_at_desired(&in, 0), "stable counted, not avail");
	nr = (struct canary_rs){ 2, 2, 2 };
	st = (struct canary_rs){ 2, 2, 3 };
	in.weight = 50;
	cr_expect(!canary_at_desired(&in, 0), "status lags spec");
	st.replicas = 2;
	cr_expect(!canary_at_desired(&in, 1), "an older RS is available");
}

/* Fenceposts over the deprecated intstr: "25" is 25%; surge rounds up,
 * unavailable down; both 0 -> unavailable 1; unavailable capped at N
 * and 0 for N = 0. */
Test(canary_step, fenceposts)
{
	struct intstr p25 = P(25), i0 = I(0), i20 = I(20);

	cr_expect_eq(canary_max_surge(10, p25, p25), 3);
	cr_expect_eq(canary_max_unavailable(10, p25, p25), 2);
	cr_expect_eq(canary_max_surge(3, p25, p25), 1);
	cr_expect_eq(canary_max_unavailable(3, p25, p25), 0);
	cr_expect_eq(canary_max_unavailable(3, i0, i0), 1);
	cr_expect_eq(canary_max_unavailable(10, i0, i20), 10);
	cr_expect_eq(canary_max_unavailable(0, i0, p25), 0);
}

/* scaleDownOldReplicaSetsForCanary: unhealthy first (every old RS down
 * to its available count), then newest revision first within
 * available - (N - maxUnavailable). */
Test(canary_step, scale_down_old)
{
	struct canary_old o[3] = { { 4, 4, 1 }, { 3, 1, 2 }, { 2, 2, 3 } };
	int32_t removed;

	/* N 10, unavailable 2, 13 available in all: max 5 after cleanup:
	 * rev 2 3->1 (unhealthy), then rev 3 2->0, rev 2 1->0, rev 1 4->2 */
	removed = canary_scale_down_old(o, 3, 10, 2, 13);
	cr_expect_eq(removed, 2 + 5);
	cr_expect_eq(o[2].spec, 0);
	cr_expect_eq(o[1].spec, 0);
	cr_expect_eq(o[0].spec, 2);
	/* nothing above minAvailable: only the unhealthy go */
	o[0] = (struct canary_old){ 4, 3, 1 };
	removed = canary_scale_down_old(o, 1, 10, 0, 10);
	cr_expect_eq(removed, 1);
	cr_expect_eq(o[0].spec, 3);
}

/* CanaryStepString */
Test(canary_step, step_string)
{
	struct canary_step s;
	char b[64];

	memset(&s, 0, sizeof(s));
	s.kind = CANARY_SET_WEIGHT;
	s.weight = 20;
	canary_step_string(&s, b, sizeof(b));
	cr_expect_str_eq(b, "setWeight: 20");
	s.kind = CANARY_PAUSE;
	s.pause_ns = -1;
	canary_step_string(&s, b, sizeof(b));
	cr_expect_str_eq(b, "pause");
	s.pause_ns = 30 * SIM_NS_PER_S;
	canary_step_string(&s, b, sizeof(b));
	cr_expect_str_eq(b, "pause: 30s");
	s.pause_ns = 600 * SIM_NS_PER_S;
	canary_step_string(&s, b, sizeof(b));
	cr_expect_str_eq(b, "pause: 10m");
	s.kind = CANARY_ANALYSIS;
	canary_step_string(&s, b, sizeof(b));
	cr_expect_str_eq(b, "analysis");
}
