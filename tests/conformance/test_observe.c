/* test_observe.c - the observer hooks on_rs and on_deploy: what a watch of
 * ReplicaSets and of the Deployment sees during a rollout of the
 * idealised world (conf_world.h).
 *
 * The expected values come from the rolling-update rules by hand: 3
 * replicas, maxSurge 1, maxUnavailable 0, a pod Available D = 10 s after
 * its creation, setImage at 100 s. The new ReplicaSet is born at 1 (3 + 1
 * pods at most); each new pod that becomes available at 110, 120, 130 s
 * lets one old pod go (3 must stay available) and the new ReplicaSet grow
 * by one: new 1, 2, 3 at 100, 110, 120 s; old 3, 2, 1, 0 at 0, 110, 120,
 * 130 s.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "conf_world.h"

#define OBS_MAX 512

struct obs_rec {
	int n_rs, n_dep;
	struct {
		sim_time_t t;
		char name[80];
		struct world_rs_view v;
	} rs[OBS_MAX];
	struct {
		sim_time_t t;
		struct world_deploy_view v;
	} dep[OBS_MAX];
};

static void rec_rs(void *ctx, sim_time_t t, const struct world_rs_view *v)
{
	struct obs_rec *r = ctx;

	cr_assert_lt(r->n_rs, OBS_MAX);
	r->rs[r->n_rs].t = t;
	snprintf(r->rs[r->n_rs].name, sizeof(r->rs[0].name), "%s", v->name);
	r->rs[r->n_rs].v = *v;
	r->n_rs++;
}

static void rec_dep(void *ctx, sim_time_t t,
		    const struct world_deploy_view *v)
{
	struct obs_rec *r = ctx;

	cr_assert_lt(r->n_dep, OBS_MAX);
	r->dep[r->n_dep].t = t;
	r->dep[r->n_dep].v = *v;
	r->n_dep++;
}

static void run_observed(struct obs_rec *r, int32_t history_limit,
			 struct world_metrics *m)
{
	static const struct conf_world p = {
		.replicas = 3, .strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = { 0, 1 }, .max_unav = { 0, 0 },
		.pull_ns = CONF_D_NS,
	};
	struct world_config cfg;
	struct world_observer obs;
	world *w;

	conf_world_config(&cfg, "web", &p);
	cfg.deployment.revision_history_limit = history_limit;
	memset(&obs, 0, sizeof(obs));
	memset(r, 0, sizeof(*r));
	obs.ctx = r;
	obs.on_rs = rec_rs;
	obs.on_deploy = rec_dep;
	cr_assert_eq(world_new(&cfg, 0, &obs, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(&cfg);
}

/* The distinct spec.replicas values of the ReplicaSet of revision rev,
 * with their times, as the watch saw them. */
static int desired_steps(const struct obs_rec *r, int rev, int32_t *val,
			 sim_time_t *at)
{
	int i, n = 0;

	for (i = 0; i < r->n_rs; i++) {
		if (r->rs[i].v.revision != rev)
			continue;
		if (n > 0 && val[n - 1] == r->rs[i].v.desired)
			continue;
		val[n] = r->rs[i].v.desired;
		at[n++] = r->rs[i].t;
	}
	return n;
}

Test(observe, rs_scaling_steps)
{
	static struct obs_rec r;
	struct world_metrics m;
	int32_t val[16];
	sim_time_t at[16];
	const int32_t old_v[] = { 3, 2, 1, 0 }, new_v[] = { 1, 2, 3 };
	const sim_time_t old_t[] = { 0, 110, 120, 130 },
			 new_t[] = { 100, 110, 120 };
	int n, i;

	run_observed(&r, 10, &m);
	n = desired_steps(&r, 1, val, at);
	cr_assert_eq(n, 4, "old ReplicaSet: %d spec values", n);
	for (i = 0; i < n; i++) {
		cr_expect_eq(val[i], old_v[i]);
		cr_expect_eq(at[i], old_t[i] * SIM_NS_PER_S);
	}
	n = desired_steps(&r, 2, val, at);
	cr_assert_eq(n, 3, "new ReplicaSet: %d spec values", n);
	for (i = 0; i < n; i++) {
		cr_expect_eq(val[i], new_v[i]);
		cr_expect_eq(at[i], new_t[i] * SIM_NS_PER_S);
	}
	/* the new ReplicaSet is first seen with its spec and no pod yet,
	 * then with the pod its controller created */
	for (i = 0; i < r.n_rs && r.rs[i].v.revision != 2; i++)
		;
	cr_assert_lt(i + 1, r.n_rs);
	cr_expect_eq(r.rs[i].v.current, 0);
	cr_expect_eq(r.rs[i + 1].v.current, 1);
	cr_expect_eq(r.rs[i].v.image, 1);
	cr_expect_eq(r.rs[i].v.created_ns, 100 * SIM_NS_PER_S);
	for (i = 0; i < r.n_rs; i++)
		cr_expect(!r.rs[i].v.deleted);
}

Test(observe, deployment_generation)
{
	static struct obs_rec r;
	struct world_metrics m;
	const struct world_deploy_view *last;
	int i, spec_change = -1;

	run_observed(&r, 10, &m);
	cr_assert_gt(r.n_dep, 2);
	/* created: generation 1, not yet observed */
	cr_expect_eq(r.dep[0].t, 0);
	cr_expect_eq(r.dep[0].v.generation, 1);
	cr_expect_eq(r.dep[0].v.observed_generation, 0);
	for (i = 0; i < r.n_dep; i++)
		if (r.dep[i].v.generation == 2) {
			spec_change = i;
			break;
		}
	cr_assert_geq(spec_change, 0, "no spec change seen");
	cr_expect_eq(r.dep[spec_change].t, 100 * SIM_NS_PER_S);
	cr_expect_eq(r.dep[spec_change].v.observed_generation, 1);
	cr_expect_eq(r.dep[spec_change].v.updated, 3);   /* status as it was */
	cr_assert_lt(spec_change + 1, r.n_dep);
	cr_expect_eq(r.dep[spec_change + 1].v.observed_generation, 2);
	last = &r.dep[r.n_dep - 1].v;
	cr_expect_eq(r.dep[r.n_dep - 1].t, 130 * SIM_NS_PER_S);
	cr_expect_eq(last->updated, 3);
	cr_expect_eq(last->available, 3);
	cr_expect_eq(last->st_replicas, 3);
	cr_expect_eq(last->unavailable, 0);
	cr_expect_eq(last->revision, 2);
	cr_expect_str_eq(last->progressing, "True NewReplicaSetAvailable");
	/* no two consecutive views are the same: an unchanged status is not
	 * written, so no watch event */
	for (i = 1; i < r.n_dep; i++)
		cr_expect(r.dep[i].v.generation != r.dep[i - 1].v.generation ||
			  r.dep[i].v.observed_generation !=
				  r.dep[i - 1].v.observed_generation ||
			  r.dep[i].v.updated != r.dep[i - 1].v.updated ||
			  r.dep[i].v.available != r.dep[i - 1].v.available ||
			  r.dep[i].v.ready != r.dep[i - 1].v.ready ||
			  r.dep[i].v.st_replicas != r.dep[i - 1].v.st_replicas ||
			  r.dep[i].v.unavailable != r.dep[i - 1].v.unavailable ||
			  r.dep[i].v.progressing != r.dep[i - 1].v.progressing ||
			  r.dep[i].v.available_cond !=
				  r.dep[i - 1].v.available_cond ||
			  r.dep[i].v.revision != r.dep[i - 1].v.revision,
			  "view %d repeats view %d", i, i - 1);
}

/* revisionHistoryLimit 0: the old ReplicaSet, scaled to 0, is deleted by
 * the cleanup once the rollout is complete, and the watch sees it once. */
Test(observe, history_cleanup_deletes)
{
	static struct obs_rec r;
	struct world_metrics m;
	int i, deleted = 0;

	run_observed(&r, 0, &m);
	for (i = 0; i < r.n_rs; i++)
		if (r.rs[i].v.deleted) {
			deleted++;
			cr_expect_eq(r.rs[i].v.revision, 1);
			cr_expect_eq(r.rs[i].v.desired, 0);
			cr_expect_geq(r.rs[i].t, 130 * SIM_NS_PER_S);
		}
	cr_expect_eq(deleted, 1);
}

/* The hooks change nothing in the run: the same metrics with and without
 * an observer. */
Test(observe, no_effect_on_run)
{
	static const struct conf_world p = {
		.replicas = 3, .strategy = STRATEGY_ROLLING_UPDATE,
		.max_surge = { 0, 1 }, .max_unav = { 0, 0 },
		.pull_ns = CONF_D_NS,
	};
	static struct obs_rec r;
	struct world_metrics with, without;
	struct world_config cfg;
	world *w;

	run_observed(&r, 10, &with);
	conf_world_config(&cfg, "web", &p);
	cr_assert_eq(world_new(&cfg, 0, NULL, &w), 0);
	cr_assert_eq(world_run(w), 0);
	world_get_metrics(w, &without);
	world_free(w);
	world_config_release(&cfg);
	cr_expect_eq(with.events, without.events);
	cr_expect_eq(with.completed_ns, without.completed_ns);
	cr_expect_eq(with.max_total, without.max_total);
	cr_expect_eq(with.pods_created, without.pods_created);
}
