/* test_victims.c - the ReplicaSet's victim picks (rs_rank_victims) on
 * random candidate sets full of ties.
 *
 * Upstream sorts the candidates with an unstable sort and a comparator
 * that is not transitive when Ready or creation times tie (rules 6 and 8
 * compare UIDs only between different times). Where the comparator
 * (rs_delete_order, then pod index) has a minimum on the candidates left,
 * every sort puts it first, so the pick must be it; elsewhere any pick is
 * as faithful as another but must be deterministic. Each case draws 1..40
 * pods from a few values per field (two Ready times within one log2 bucket
 * and one in another, equal creation times, restarts 0..1, sometimes
 * unassigned / pending / not ready), UIDs from a small set, and orders 8
 * victims. The minimum is found by brute force: the candidate that
 * precedes every other one.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/replicaset.h"

#define CASES 3000
#define MAXK 40
#define PICK 8
#define S SIM_NS_PER_S
#define NOW (1000 * S)

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rnd_state >> 33) % n);
}

static int cmp_full(const struct rs_victim *a, const struct rs_victim *b)
{
	int c = rs_delete_order(&a->key, &b->key, NOW);

	return c ? c : (a->pod > b->pod) - (a->pod < b->pod);
}

/* The candidate of v[from..k) that precedes every other one, or -1. */
static int32_t brute_min(const struct rs_victim *v, int32_t from, int32_t k)
{
	int32_t i, j;

	for (i = from; i < k; i++) {
		for (j = from; j < k; j++)
			if (j != i && cmp_full(&v[i], &v[j]) >= 0)
				break;
		if (j == k)
			return i;
	}
	return -1;
}

static void draw(struct rs_victim *v, int32_t k)
{
	/* 300 s and 310 s old share bucket 38; 100 s old is in bucket 36 */
	static const sim_time_t ready_age[] = { 300 * S, 310 * S, 100 * S };
	int32_t i;

	for (i = 0; i < k; i++) {
		struct pod_rank_key *p = &v[i].key;

		memset(p, 0, sizeof(*p));
		p->assigned = rnd(8) != 0;
		p->phase = rnd(8) == 0 ? 0 : 2;
		p->ready = rnd(4) != 0;
		p->deletion_cost = rnd(10) == 0;
		p->rank = 1 + (int32_t)(rnd(8) == 0);
		p->ready_since_ns = p->ready ? NOW - ready_age[rnd(3)] : -1;
		p->restarts = (int32_t)(rnd(4) == 0);
		p->created_ns = NOW - (rnd(2) ? 400 * S : 420 * S);
		p->uid = 1 + rnd(50);
		v[i].pod = (int32_t)i * 3 + (int32_t)rnd(3);
	}
}

Test(victims, pick_is_the_minimum_where_one_exists)
{
	struct rs_victim v[MAXK], w[MAXK], orig[MAXK];
	int c, checked = 0, cyclic = 0;

	rnd_state = 14;
	for (c = 0; c < CASES; c++) {
		int32_t k = 1 + (int32_t)rnd(MAXK), i, m;

		draw(orig, k);
		memcpy(v, orig, sizeof(v[0]) * (size_t)k);
		rs_rank_victims(v, k, PICK, NOW);
		for (i = 0; i < PICK && i < k; i++) {
			/* the rest, as the pick left them, is the set left */
			memcpy(w, v, sizeof(v[0]) * (size_t)k);
			m = brute_min(w, i, k);
			if (m < 0) {
				cyclic++;
				continue;
			}
			checked++;
			cr_assert_eq(v[i].pod, w[m].pod,
				     "case %d: pick %d is pod %d, the minimum is "
				     "pod %d", c, (int)i, (int)v[i].pod,
				     (int)w[m].pod);
		}
		/* deterministic: the same input gives the same picks */
		memcpy(w, orig, sizeof(v[0]) * (size_t)k);
		rs_rank_victims(w, k, PICK, NOW);
		for (i = 0; i < PICK && i < k; i++)
			cr_assert_eq(w[i].pod, v[i].pod, "case %d pick %d", c,
				     (int)i);
	}
	/* the draws must exercise both situations */
	cr_assert_gt(checked, 1000);
	cr_assert_gt(cyclic, 100);
}

/* The picks are a permutation of the candidates: none lost, none twice. */
Test(victims, picks_are_a_permutation)
{
	struct rs_victim v[MAXK];
	int c;

	rnd_state = 15;
	for (c = 0; c < 500; c++) {
		int32_t k = 1 + (int32_t)rnd(MAXK), i;
		int seen[MAXK * 3 + 3] = { 0 };

		draw(v, k);
		for (i = 0; i < k; i++)
			v[i].pod = i;
		rs_rank_victims(v, k, k, NOW);
		for (i = 0; i < k; i++) {
			cr_assert(v[i].pod >= 0 && v[i].pod < k);
			cr_assert_eq(seen[v[i].pod]++, 0);
		}
		/* a fully ranked transitive prefix is sorted */
		for (i = 1; i < k; i++)
			if (brute_min(v, i - 1, k) == i - 1)
				cr_assert_lt(cmp_full(&v[i - 1], &v[i]), 0);
	}
}
