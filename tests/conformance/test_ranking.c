/* test_ranking.c - which pod a ReplicaSet deletes first (models/replicaset.c).
 *
 * Cases D1..D18 of the comparator of docs/kubernetes.md §4
 * (controller_utils.go ActivePodsWithRanks.Less with LogarithmicScaleDown;
 * upstream checks it in controller_utils_test.go
 * TestSortingActivePodsWithRanks), each decided by hand, through
 * rs_delete_order, in both argument orders (the comparator must be
 * antisymmetric). Sorting happens at now = 10 days; the cases' ages become
 * times now - age. A missing deletion-cost annotation is cost 0. Wherever the
 * UID tie-break is not the deciding rule, the UIDs are chosen so that the
 * tie-break alone would pick the other pod, so a row passes only through its
 * own rule. The UID rows D14 / D17 are run with the smaller UID on either
 * side: the smaller UID goes first. Also rs_log2_bucket against bucket numbers
 * worked out by hand (floor(log2(age in ns))).
 */
#include <stdint.h>

#include <criterion/criterion.h>

#include "models/replicaset.h"

#define S SIM_NS_PER_S
#define MIN (60 * S)
#define HOUR (3600 * S)
#define DAY (86400 * S)
#define NOW (10 * DAY)

#define PENDING 0
#define UNKNOWN 1
#define RUNNING 2

/* One pod: K(assigned, phase, ready, deletion cost, rank, Ready age,
 * restarts, creation age, uid). Ages are measured at NOW; a Ready age of
 * NONE means no Ready transition (not ready). */
#define NONE (-1)
#define K(as, ph, rd, cost, rk, rage, rst, cage, id)                       \
	{ .assigned = (as), .phase = (ph), .ready = (rd),                   \
	  .deletion_cost = (cost), .rank = (rk),                            \
	  .ready_since_ns = (rage) < 0 ? -1 : NOW - (rage),                 \
	  .restarts = (rst), .created_ns = NOW - (cage), .uid = (id) }

struct rank_row {
	const char *name;
	struct pod_rank_key a, b;
	char first;     /* 'A' or 'B': deleted first */
};

/* Fields a row does not mention: on a node, rank 1, cost 0, Ready for
 * 1 h, created 2 h ago, 0 restarts. */
static const struct rank_row rows[] = {
	/*                 as ph       rd cost  rk rage      rst cage      uid */
	{ "D1 unassigned first",
	  K(0, PENDING, 0, 0,    1, NONE,     0, MIN,      2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D2 unassigned first (both Pending)",
	  K(0, PENDING, 0, 0,    1, NONE,     0, 2 * HOUR, 2),
	  K(1, PENDING, 0, 0,    1, NONE,     0, 2 * HOUR, 1), 'A' },
	{ "D3 Pending < Running",
	  K(1, PENDING, 0, 0,    1, NONE,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 0, 0,    1, NONE,     0, 2 * HOUR, 1), 'A' },
	{ "D4 Unknown < Running",
	  K(1, UNKNOWN, 1, 0,    1, HOUR,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D5 phase before cost",
	  K(1, PENDING, 0, 1000, 1, NONE,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D6 not ready first",
	  K(1, RUNNING, 0, 0,    1, NONE,     7, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D7 readiness before restarts",
	  K(1, RUNNING, 1, 0,    1, HOUR,    10, 2 * HOUR, 1),
	  K(1, RUNNING, 0, 0,    1, NONE,     0, 2 * HOUR, 2), 'B' },
	{ "D8 readiness before cost",
	  K(1, RUNNING, 0, 1000, 1, NONE,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D9 lower cost first",
	  K(1, RUNNING, 1, 100,  1, HOUR,     0, 2 * HOUR, 1),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 2), 'B' },
	{ "D10 cost -5 before no annotation",
	  K(1, RUNNING, 1, -5,   1, HOUR,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D11 higher rank first",
	  K(1, RUNNING, 1, 0,    3, HOUR,     0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D12 rank before ready time",
	  K(1, RUNNING, 1, 0,    1, 1 * S,    0, MIN,      1),
	  K(1, RUNNING, 1, 0,    5, 10 * DAY, 0, 10 * DAY, 2), 'B' },
	{ "D13 ready 10 s before ready 1 h",
	  K(1, RUNNING, 1, 0,    1, 10 * S,   0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D14 same bucket 36, A smaller UID",
	  K(1, RUNNING, 1, 0,    1, 100 * S,  0, 2 * HOUR, 1),
	  K(1, RUNNING, 1, 0,    1, 120 * S,  0, 2 * HOUR, 2), 'A' },
	{ "D14 same bucket 36, B smaller UID",
	  K(1, RUNNING, 1, 0,    1, 100 * S,  0, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, 120 * S,  0, 2 * HOUR, 1), 'B' },
	{ "D15 more restarts first",
	  K(1, RUNNING, 1, 0,    1, HOUR,     5, 2 * HOUR, 2),
	  K(1, RUNNING, 1, 0,    1, HOUR,     0, 2 * HOUR, 1), 'A' },
	{ "D16 created 1 min before created 1 day",
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, MIN,      2),
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, DAY,      1), 'A' },
	{ "D17 created 60 s / 61 s, A smaller UID",
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, 60 * S,   1),
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, 61 * S,   2), 'A' },
	{ "D17 created 60 s / 61 s, B smaller UID",
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, 60 * S,   2),
	  K(1, RUNNING, 1, 0,    1, 30 * S,   0, 61 * S,   1), 'B' },
	{ "D18 ready time before restarts",
	  K(1, RUNNING, 1, 0,    1, HOUR,     3, 2 * HOUR, 1),
	  K(1, RUNNING, 1, 0,    1, MIN,      0, 2 * HOUR, 2), 'B' },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

Test(conformance, ranking_table)
{
	size_t i;

	cr_assert_eq(N_ROWS, (size_t)20, "D1..D18 with D14 and D17 twice: %zu",
		     N_ROWS);
	for (i = 0; i < N_ROWS; i++) {
		const struct rank_row *r = &rows[i];
		int want = r->first == 'A' ? -1 : 1;
		int ab = sign(rs_delete_order(&r->a, &r->b, NOW));
		int ba = sign(rs_delete_order(&r->b, &r->a, NOW));

		cr_expect_eq(ab, want,
			     "row %s: order(A,B) expected %d (%c first), got %d",
			     r->name, want, r->first, ab);
		cr_expect_eq(ba, -want,
			     "row %s: order(B,A) expected %d (%c first), got %d",
			     r->name, -want, r->first, ba);
	}
}

Test(conformance, ranking_identical_pods_tie)
{
	struct pod_rank_key a = K(1, RUNNING, 1, 0, 1, HOUR, 0, 2 * HOUR, 7);

	cr_expect_eq(rs_delete_order(&a, &a, NOW), 0,
		     "a pod compared with itself: expected 0, got %d",
		     rs_delete_order(&a, &a, NOW));
}

struct bucket_row {
	const char *name;
	sim_time_t age_ns;
	int bucket;
};

static const struct bucket_row bucket_rows[] = {
	{ "10 s", 10 * S, 33 },
	{ "1 h", HOUR, 41 },
	{ "100 s", 100 * S, 36 },
	{ "120 s", 120 * S, 36 },
	{ "1 min", MIN, 35 },
	{ "60 s", 60 * S, 35 },
	{ "61 s", 61 * S, 35 },
	{ "1 day", DAY, 46 },
	{ "1 ns", 1, 0 },
	{ "0", 0, 0 },
};

Test(conformance, ranking_log2_buckets)
{
	size_t i;

	for (i = 0; i < sizeof(bucket_rows) / sizeof(bucket_rows[0]); i++) {
		const struct bucket_row *r = &bucket_rows[i];
		int b = rs_log2_bucket(r->age_ns);

		cr_expect_eq(b, r->bucket, "age %s: bucket expected %d, got %d",
			     r->name, r->bucket, b);
	}
}
