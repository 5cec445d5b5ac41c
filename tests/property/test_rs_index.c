/* test_rs_index.c - the ReplicaSets' victim index (models/rs_index.h)
 * against a brute-force ranking of the same pods, in running worlds.
 *
 * Worlds with random start-up times, readiness probes every second (so
 * pods turn Ready at the same instant, the ties rule 6 does not settle),
 * crashes (restarts, Ready lost and regained) and an update that makes a
 * second ReplicaSet are stopped every second; at each stop every
 * ReplicaSet's first 8 victims by the index are checked against the full
 * comparator (rs_delete_order, then pod index) over all its active pods:
 * where the pods left have a minimum (a pod that precedes every other),
 * the pick must be it. The picks must be distinct active pods of the
 * ReplicaSet, as many as it has up to 8, and asking again gives the same.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/world_impl.h"

#define S SIM_NS_PER_S
#define PICK 8
#define MAXP 400

static int cmp_full(const struct rs_victim *a, const struct rs_victim *b,
		    sim_time_t now)
{
	int c = rs_delete_order(&a->key, &b->key, now);

	return c ? c : (a->pod > b->pod) - (a->pod < b->pod);
}

/* The index in v[0..k) of the candidate before every other one, or -1. */
static int32_t brute_min(const struct rs_victim *v, int32_t k, sim_time_t now)
{
	int32_t i, j;

	for (i = 0; i < k; i++) {
		for (j = 0; j < k; j++)
			if (j != i && cmp_full(&v[i], &v[j], now) >= 0)
				break;
		if (j == k)
			return i;
	}
	return -1;
}

static void config(struct world_config *cfg, uint64_t seed, int32_t replicas)
{
	size_t i;

	world_config_init(cfg);
	cfg->seed = seed;
	cfg->until_ns = 90 * S;
	cfg->images = calloc(2, sizeof(*cfg->images));
	cr_assert_not_null(cfg->images);
	cfg->n_images = 2;
	image_config_defaults(&cfg->images[0], "app:1");
	image_config_defaults(&cfg->images[1], "app:2");
	for (i = 0; i < 2; i++) {
		struct image_config *c = &cfg->images[i];

		c->startup.kind = DIST_EXPONENTIAL;
		c->startup.a_ns = 3 * S;
		c->readiness.enabled = 1;
		c->readiness.period_ns = 1 * S;
		c->crash.enabled = 1;
		c->crash.after.kind = DIST_EXPONENTIAL;
		c->crash.after.a_ns = 40 * S;
		c->crash.probability = 0.3;
	}
	cfg->deployment.replicas = replicas;
	cfg->events = calloc(1, sizeof(*cfg->events));
	cr_assert_not_null(cfg->events);
	cfg->n_events = 1;
	cfg->events[0].at_ns = 30 * S;
	cfg->events[0].action = ACTION_SET_IMAGE;
	cfg->events[0].image = 1;
}

/* Checks rs's picks at now; returns the number of picks with a minimum. */
static int check_rs(struct world *w, int32_t rs, sim_time_t now, int *cyclic)
{
	static struct rs_victim all[MAXP], got[PICK], again[PICK];
	int32_t i, k = 0, n, m, j, checked = 0;

	for (i = 0; i < w->n_live; i++) {
		const struct pod *p = &w->pods[w->live[i]];

		if (p->rs != rs || p->terminating || p->phase == POD_GONE)
			continue;
		cr_assert_lt(k, MAXP);
		rs_rank_key(w, w->live[i], &all[k].key);
		all[k++].pod = w->live[i];
	}
	cr_assert_eq(k, w->rs[rs].active);
	n = rs_index_first(w, rs, PICK, now, got);
	cr_assert_eq(n, k < PICK ? k : PICK, "rs %d: %d picks of %d pods",
		     (int)rs, (int)n, (int)k);
	cr_assert_eq(rs_index_first(w, rs, PICK, now, again), n);
	for (j = 0; j < n; j++)
		cr_assert_eq(got[j].pod, again[j].pod);
	for (j = 0; j < n; j++) {
		/* got[j] is among the pods left; remove it after the check */
		for (i = 0; i < k && all[i].pod != got[j].pod; i++)
			;
		cr_assert_lt(i, k, "pick %d (pod %d) is not an active pod of "
			     "rs %d", (int)j, (int)got[j].pod, (int)rs);
		m = brute_min(all, k, now);
		if (m < 0) {
			(*cyclic)++;
		} else {
			checked++;
			cr_assert_eq(got[j].pod, all[m].pod, "at %lld ns, rs %d "
				     "pick %d: pod %d, the minimum is pod %d",
				     (long long)now, (int)rs, (int)j,
				     (int)got[j].pod, (int)all[m].pod);
		}
		all[i] = all[--k];
	}
	return checked;
}

Test(rs_index, picks_the_minimum_where_one_exists)
{
	int seed, checked = 0, cyclic = 0;

	for (seed = 1; seed <= 48; seed++) {
		struct world_config cfg;
		world *w;
		sim_time_t t;
		int32_t rs;

		config(&cfg, (uint64_t)seed, 20 + 15 * (seed % 4));
		cr_assert_eq(world_new(&cfg, 0, NULL, &w), 0);
		for (t = 1 * S; t <= cfg.until_ns; t += 1 * S) {
			cr_assert_eq(engine_run(w->eng, t), 0);
			for (rs = 0; rs < w->n_rs; rs++)
				checked += check_rs(w, rs, t, &cyclic);
		}
		world_free(w);
		world_config_release(&cfg);
	}
	/* most picks are checked; ties make some rankings cyclic */
	cr_assert_gt(checked, 25000, "only %d picks checked (%d cyclic)",
		     checked, cyclic);
}
