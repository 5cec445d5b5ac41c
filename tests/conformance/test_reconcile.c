/* test_reconcile.c - one rolloutRolling sync (models/deployment.c).
 *
 * 22 cases of one sync by the rules of docs/kubernetes.md §2.2, §2.4 and
 * §2.5 (rolling.go rolloutRolling, reconcileNewReplicaSet,
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas,
 * scaleDownOldReplicaSetsForRollingUpdate; upstream tests them in
 * rolling_test.go TestDeploymentController_reconcileNewReplicaSet,
 * ..._reconcileOldReplicaSets, ..._cleanupUnhealthyReplicas and
 * ..._scaleDownOldReplicaSetsForRollingUpdate), each worked out by hand,
 * through deploy_rolling_step: the action (new-up / new-down / old-down /
 * none), how many replicas cleanupUnhealthyReplicas and the
 * availability-based scale-down removed (old-down(cleanup=a,avail=b)), and
 * the new and old ReplicaSet specs after the step. Each row also checks
 * that its "maxSurge->S" / "maxUnav->U" columns agree with the resolver.
 */
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/intstr.h"

#define I(v) { 0, (v) }
#define P(v) { 1, (v) }
#define MAX_OLD 4

/* spec / avail of one ReplicaSet as the table gives it */
struct rs_given {
	int32_t spec, avail;
};

struct reconcile_row {
	const char *name;
	int32_t replicas;
	struct intstr max_surge, max_unav;
	int32_t surge, unavailable;          /* resolved S, U */
	struct rs_given newrs;               /* before */
	size_t n_old;
	struct rs_given old[MAX_OLD];        /* before, oldest first */
	/* expected */
	enum rolling_action action;
	int32_t cleaned, scaled;
	int32_t new_after;
	int32_t old_after[MAX_OLD];
};

#define NONE ROLLING_NONE
#define NEW_UP ROLLING_NEW_UP
#define NEW_DOWN ROLLING_NEW_DOWN
#define OLD_DOWN ROLLING_OLD_DOWN

static const struct reconcile_row rows[] = {
	{ "1", 10, P(25), P(25), 3, 2, { 3, 0 }, 1, { { 10, 10 } },
	  OLD_DOWN, 0, 2, 3, { 8 } },
	{ "2", 10, P(25), P(25), 3, 2, { 3, 0 }, 1, { { 8, 8 } },
	  NEW_UP, 0, 0, 5, { 8 } },
	{ "3", 10, P(25), P(25), 3, 2, { 5, 0 }, 1, { { 8, 8 } },
	  NONE, 0, 0, 5, { 8 } },
	{ "4", 10, P(25), P(25), 3, 2, { 5, 5 }, 1, { { 8, 8 } },
	  OLD_DOWN, 0, 5, 5, { 3 } },
	{ "5", 10, P(25), P(25), 3, 2, { 5, 3 }, 1, { { 8, 8 } },
	  OLD_DOWN, 0, 3, 5, { 5 } },
	{ "6", 10, P(25), P(25), 3, 2, { 3, 0 }, 1, { { 10, 7 } },
	  OLD_DOWN, 2, 0, 3, { 8 } },
	{ "7", 10, I(3), I(2), 3, 2, { 5, 0 }, 1, { { 8, 7 } },
	  NONE, 0, 0, 5, { 8 } },
	{ "8", 10, I(3), I(2), 3, 2, { 8, 7 }, 1, { { 5, 0 } },
	  OLD_DOWN, 4, 0, 8, { 1 } },
	{ "9", 10, I(3), I(2), 3, 2, { 0, 0 }, 2, { { 4, 4 }, { 9, 9 } },
	  OLD_DOWN, 0, 5, 0, { 0, 8 } },
	{ "10", 10, I(3), I(2), 3, 2, { 0, 0 }, 2, { { 4, 2 }, { 9, 9 } },
	  OLD_DOWN, 2, 3, 0, { 0, 8 } },
	{ "11", 5, P(25), P(25), 2, 1, { 7, 7 }, 1, { { 1, 1 } },
	  NEW_DOWN, 0, 0, 5, { 1 } },
	{ "12", 3, I(0), P(25), 0, 1, { 0, 0 }, 1, { { 3, 3 } },
	  OLD_DOWN, 0, 1, 0, { 2 } },
	{ "13", 3, I(0), P(25), 0, 1, { 1, 0 }, 1, { { 2, 2 } },
	  NONE, 0, 0, 1, { 2 } },
	{ "14", 10, I(1), I(0), 1, 0, { 1, 0 }, 1, { { 10, 10 } },
	  NONE, 0, 0, 1, { 10 } },
	{ "15", 10, I(1), I(0), 1, 0, { 1, 1 }, 1, { { 10, 10 } },
	  OLD_DOWN, 0, 1, 1, { 9 } },
	{ "16", 10, I(1), I(0), 1, 0, { 1, 1 }, 1, { { 9, 9 } },
	  NEW_UP, 0, 0, 2, { 9 } },
	{ "17", 1, I(1), I(0), 1, 0, { 1, 0 }, 1, { { 1, 1 } },
	  NONE, 0, 0, 1, { 1 } },
	{ "18", 4, I(0), P(100), 0, 4, { 0, 0 }, 1, { { 4, 4 } },
	  OLD_DOWN, 0, 4, 0, { 0 } },
	{ "19", 10, P(25), P(25), 3, 2, { 10, 6 }, 1, { { 3, 3 } },
	  OLD_DOWN, 0, 1, 10, { 2 } },
	{ "20", 10, P(25), P(25), 3, 2, { 10, 10 }, 1, { { 3, 3 } },
	  OLD_DOWN, 0, 3, 10, { 0 } },
	{ "21", 10, P(25), P(25), 3, 2, { 10, 10 }, 1, { { 0, 0 } },
	  NONE, 0, 0, 10, { 0 } },
	{ "22", 10, P(25), P(25), 3, 2, { 6, 6 }, 2, { { 0, 0 }, { 5, 5 } },
	  NEW_UP, 0, 0, 8, { 0, 5 } },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static const char *action_name(enum rolling_action a)
{
	switch (a) {
	case ROLLING_NONE:
		return "none";
	case ROLLING_NEW_UP:
		return "new-up";
	case ROLLING_NEW_DOWN:
		return "new-down";
	case ROLLING_OLD_DOWN:
		return "old-down";
	}
	return "?";
}

Test(conformance, reconcile_table_has_22_rows)
{
	cr_assert_eq(N_ROWS, (size_t)22, "22 cases expected, table has %zu",
		     N_ROWS);
}

/* The S and U columns are what the resolver gives for the row's values. */
Test(conformance, reconcile_rows_resolve)
{
	size_t i;

	for (i = 0; i < N_ROWS; i++) {
		const struct reconcile_row *r = &rows[i];
		int32_t s = deploy_max_surge(STRATEGY_ROLLING_UPDATE, r->replicas,
					     r->max_surge, r->max_unav);
		int32_t u = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE,
						   r->replicas, r->max_surge,
						   r->max_unav);

		cr_expect_eq(s, r->surge, "row %s: S expected %d, got %d",
			     r->name, r->surge, s);
		cr_expect_eq(u, r->unavailable, "row %s: U expected %d, got %d",
			     r->name, r->unavailable, u);
	}
}

Test(conformance, reconcile_rolling_step)
{
	size_t i, j;

	for (i = 0; i < N_ROWS; i++) {
		const struct reconcile_row *r = &rows[i];
		struct rs_counts newrs = { r->newrs.spec, r->newrs.avail, 0 };
		struct rs_counts old[MAX_OLD];
		struct rolling_result res;

		for (j = 0; j < r->n_old; j++) {
			old[j].spec = r->old[j].spec;
			old[j].avail = r->old[j].avail;
		}
		res = deploy_rolling_step(r->replicas, r->surge, r->unavailable,
					  &newrs, old, r->n_old);
		cr_expect_eq(res.action, r->action,
			     "row %s: action expected %s, got %s", r->name,
			     action_name(r->action), action_name(res.action));
		cr_expect_eq(res.cleaned, r->cleaned,
			     "row %s: cleanup expected %d, got %d", r->name,
			     r->cleaned, res.cleaned);
		cr_expect_eq(res.scaled, r->scaled,
			     "row %s: avail scale-down expected %d, got %d",
			     r->name, r->scaled, res.scaled);
		cr_expect_eq(newrs.spec, r->new_after,
			     "row %s: new RS spec after expected %d, got %d",
			     r->name, r->new_after, newrs.spec);
		cr_expect_eq(newrs.avail, r->newrs.avail,
			     "row %s: new RS avail must not change: %d -> %d",
			     r->name, r->newrs.avail, newrs.avail);
		for (j = 0; j < r->n_old; j++) {
			cr_expect_eq(old[j].spec, r->old_after[j],
				     "row %s: old RS #%zu spec after expected %d, got %d",
				     r->name, j, r->old_after[j], old[j].spec);
			cr_expect_eq(old[j].avail, r->old[j].avail,
				     "row %s: old RS #%zu avail must not change: %d -> %d",
				     r->name, j, r->old[j].avail, old[j].avail);
		}
	}
}
