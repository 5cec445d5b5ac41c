/* quiz_facts.c - running a scenario for `rollsim quiz` (quiz_facts.h):
 * the narrative of replication 0 (the explanations), its first rollout,
 * its ScalingReplicaSet events, and the failed requests of the first
 * rollout in QUIZ_REPLICATIONS replications (for a confidence interval).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "quiz_facts.h"
#include "teach_impl.h"

static void on_event(void *ctx, sim_time_t t_ns, const char *type,
		     const char *reason, const char *object,
		     const char *message)
{
	struct quiz_facts *f = ctx;
	char dir[8];
	long from, to;
	void *p;

	(void)type;
	(void)object;
	if (strcmp(reason, "ScalingReplicaSet") != 0 ||
	    sscanf(message, "Scaled %7s replica set %*s from %ld to %ld", dir,
		   &from, &to) != 3)
		return;
	if (f->n_scales == f->cap_scales) {
		int32_t cap = f->cap_scales ? f->cap_scales * 2 : 64;

		p = rsim_realloc(f->scales, (size_t)cap * sizeof(*f->scales));
		if (!p) {
			f->n.failed = 1;
			return;
		}
		f->scales = p;
		f->cap_scales = cap;
	}
	f->scales[f->n_scales].t_ns = t_ns;
	f->scales[f->n_scales].up = strcmp(dir, "up") == 0;
	f->scales[f->n_scales].to = to;
	f->n_scales++;
}

static double rollout_failed(const struct world_rollout *r)
{
	double n = 0;
	int o;

	for (o = 0; o < OUTCOME_COUNT; o++)
		if (o != OUTCOME_OK)
			n += (double)r->outcome[o];
	return n;
}

static void done(void *ctx, const world *w)
{
	struct quiz_facts *f = ctx;
	struct world_metrics m;

	world_get_metrics(w, &m);
	f->traffic = m.traffic;
	f->max_total = m.max_total;
	f->has_rollout = m.n_rollouts > 0;
	if (f->has_rollout) {
		f->first = m.rollouts[0];
		f->failed[0] = rollout_failed(&m.rollouts[0]);
	}
}

/* Replications 1 .. QUIZ_REPLICATIONS - 1, unobserved. */
static int replicate(const struct world_config *cfg, const char *label,
		     struct quiz_facts *f, struct rsim_error *err)
{
	struct world_metrics m;
	uint32_t rep;
	world *w;
	int rc;

	for (rep = 1; rep < QUIZ_REPLICATIONS; rep++) {
		rc = world_new(cfg, rep, NULL, &w);
		if (rc)
			return rsim_error_set(err, rc, label, "",
					      "out of memory");
		rc = world_run(w);
		world_get_metrics(w, &m);
		f->failed[rep] = m.n_rollouts > 0
					 ? rollout_failed(&m.rollouts[0])
					 : 0;
		world_free(w);
		if (rc)
			return rsim_error_set(err, rc, label, "",
					      "simulation failed: %s",
					      world_strerror(rc));
	}
	return 0;
}

int quiz_facts_gather(const struct world_config *cfg, const char *label,
		      struct quiz_facts *f, struct rsim_error *err)
{
	struct world_observer obs;
	int rc;

	memset(f, 0, sizeof(*f));
	narr_init(&f->n);
	obs = narr_observe(&f->n);
	obs.ctx = f;                 /* f->n is its first member */
	obs.on_event = on_event;
	rc = teach_run(cfg, &obs, label, done, f, err);
	if (!rc && f->n.failed)
		rc = rsim_error_set(err, RSIM_ENOMEM, label, "",
				    "out of memory");
	if (!rc && f->traffic && f->has_rollout)
		rc = replicate(cfg, label, f, err);
	return rc;
}

void quiz_facts_release(struct quiz_facts *f)
{
	narr_release(&f->n);
	free(f->scales);
	f->scales = NULL;
}

const struct quiz_scale *quiz_first_step(const struct quiz_facts *f)
{
	int32_t i;

	for (i = 0; f->has_rollout && i < f->n_scales; i++)
		if (f->scales[i].t_ns >= f->first.triggered_ns)
			return &f->scales[i];
	return NULL;
}
