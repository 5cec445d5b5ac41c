/* test_pod_props.c - pod lifecycle properties over random scenarios.
 *
 * 1000 random scenarios from a fixed seed (each has its own seed, printed
 * with the scenario on failure): 1..8 replicas, two images with a
 * constant startup U (0..20 s) and random pull / containerStart /
 * shutdown / grace / preStop, random readiness, startup and liveness
 * probes (sometimes flaky, rarely neverReady), sometimes crashing
 * containers, sometimes failing pulls, half of them on a cluster of 1..4
 * nodes (random cpu, pull policy) with a node drain; setImage to the
 * second image, a random deletePod; until 900 s. Properties:
 *
 *  P1 Ready only when up: at every change of the counts, the Ready pods
 *     (old_ready + new_ready) are at most the pods that are up: not
 *     deleted, their latest container Started at s with s + U' <= now,
 *     not killed by a probe since, where U' = U when the image has a
 *     readiness or startup probe (a probe passes only once the app is up)
 *     and 0 without (a container without probes is Ready when it runs,
 *     docs/kubernetes.md §9). A crash has no event, so a crashed pod still
 *     counts as up: the bound is weaker, never wrong.
 *  P2 Probe answers follow the app: a probe failure "connection refused"
 *     (app not up) is at an age < U of the pod's latest container, an
 *     "HTTP probe failed with statuscode: 503" (app up, failing anyway)
 *     at an age >= U.
 *  P3 A deleted pod never comes back: after its deletion (SuccessfulDelete
 *     "Deleted pod: NAME", Evicted, or Killing "Stopping container app"),
 *     no Scheduled, FailedScheduling, Pulling, Pulled, Failed, BackOff,
 *     Created, Started or a second Killing about that pod.
 *  P4 pod-seconds: world_metrics.pod_seconds equals the integral over
 *     [0, until] of old_pods + new_pods + terminating as on_counts reports
 *     them (within 1e-6 relative), and the rev_pod_seconds entries add up
 *     to pod_seconds (within 1e-6 relative).
 *  P5 restarts: Started events beyond each pod's first <= restarts <=
 *     that + the pods deleted (a restart counted whose container was not
 *     started yet when the pod was deleted).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/cluster.h"
#include "models/deployment.h"
#include "models/intstr.h"
#include "models/pod.h"
#include "models/probe.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "../test_rand.h"
#include "prop_case.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define N_CASES 1000
#define BASE_SEED UINT64_C(0x90d5eed5a11ce5e1)
#define UNTIL_NS (900 * S)
#define MAX_RS 8

/* ------------------------------------------------------------- a case */

struct pcase {
	int idx;
	uint64_t seed;
	sim_time_t up_ns[2];      /* U' per image (see P1) */
	sim_time_t startup_ns[2]; /* U per image */
	char desc[1024];
};

static size_t desc_probe(char *buf, size_t used, size_t cap,
			 const char *name, const struct probe_config *p)
{
	if (!p->enabled)
		return used;
	return prop_desc_add(buf, used, cap,
			     " %s(D%lld p%lld S%d F%d%s fp%.2f)", name,
			     (long long)(p->initial_delay_ns / S),
			     (long long)(p->period_ns / S),
			     (int)p->success_threshold,
			     (int)p->failure_threshold,
			     p->never_ready ? " never" : "", p->failure_prob);
}

static void rand_probe(uint64_t *s, struct probe_config *p, int pct,
		       int readiness)
{
	probe_config_defaults(p);
	p->enabled = sm_chance(s, pct);
	p->initial_delay_ns = sm_range(s, 0, readiness ? 10 : 30) * S;
	p->period_ns = sm_range(s, 1, 10) * S;
	p->success_threshold = readiness ? (int32_t)sm_range(s, 1, 3) : 1;
	p->failure_threshold = (int32_t)sm_range(s, 1, readiness ? 3 : 30);
	p->failure_prob = sm_chance(s, 20) ? 0.3 : 0.0;
	p->never_ready = sm_chance(s, 3);
}

static void rand_image(uint64_t *s, struct image_config *im,
		       const char *name, int cluster)
{
	image_config_defaults(im, name);
	if (sm_chance(s, 50)) {
		im->pull.kind = DIST_UNIFORM;
		im->pull.a_ns = sm_range(s, 0, 3000) * MS;
		im->pull.b_ns = im->pull.a_ns + sm_range(s, 0, 5000) * MS;
	} else {
		im->pull = dist_constant(sm_range(s, 0, 5000) * MS);
	}
	im->container_start = dist_constant(sm_range(s, 0, 2000) * MS);
	/* whole seconds half of the time: the app then comes up exactly on
	 * a probe tick now and then (ticks are at whole-second ages) */
	im->startup = dist_constant(sm_chance(s, 50)
					    ? sm_range(s, 0, 20) * S
					    : sm_range(s, 0, 20000) * MS);
	im->shutdown.kind = DIST_UNIFORM;
	im->shutdown.a_ns = 0;
	im->shutdown.b_ns = sm_range(s, 0, 8000) * MS;
	im->grace_ns = sm_range(s, 1, 40) * S;
	im->prestop_ns = sm_chance(s, 50) ? sm_range(s, 0, 12) * S : 0;
	rand_probe(s, &im->readiness, 60, 1);
	rand_probe(s, &im->startup_probe, 30, 0);
	rand_probe(s, &im->liveness, 30, 0);
	if (sm_chance(s, 15)) {
		im->crash.enabled = 1;
		im->crash.after.kind = DIST_UNIFORM;
		im->crash.after.a_ns = sm_range(s, 1, 30) * S;
		im->crash.after.b_ns = im->crash.after.a_ns +
				       sm_range(s, 0, 60) * S;
		im->crash.probability = 0.5;
	}
	if (sm_chance(s, 10))
		im->pull_failure_prob = 0.3;
	if (cluster) {
		im->cpu_milli = sm_range(s, 0, 500);
		im->pull_policy = sm_chance(s, 30) ? PULL_ALWAYS
						   : PULL_IF_NOT_PRESENT;
	}
}

static void desc_image(struct pcase *pc, size_t *used,
		       const struct image_config *im)
{
	size_t cap = sizeof(pc->desc);

	*used = prop_desc_add(pc->desc, *used, cap,
			      " [%s startup=%.3fs start=%.3fs grace=%llds "
			      "preStop=%llds cpu=%lld %s%s%s", im->name,
			      sim_ns_to_s(im->startup.a_ns),
			      sim_ns_to_s(im->container_start.a_ns),
			      (long long)(im->grace_ns / S),
			      (long long)(im->prestop_ns / S),
			      (long long)im->cpu_milli,
			      im->pull_policy == PULL_ALWAYS ? "Always"
							     : "IfNotPresent",
			      im->crash.enabled ? " crash" : "",
			      im->pull_failure_prob > 0 ? " pullfail" : "");
	*used = desc_probe(pc->desc, *used, cap, "readiness", &im->readiness);
	*used = desc_probe(pc->desc, *used, cap, "startup", &im->startup_probe);
	*used = desc_probe(pc->desc, *used, cap, "liveness", &im->liveness);
	*used = prop_desc_add(pc->desc, *used, cap, "]");
}

static struct world_event *add_event(struct world_config *cfg,
				     sim_time_t at, enum world_action a)
{
	struct world_event *e = &cfg->events[cfg->n_events++];

	memset(e, 0, sizeof(*e));
	image_config_defaults(&e->patch.v.tmpl.v, NULL);
	e->at_ns = at;
	e->action = a;
	return e;
}

/* Draws case idx into cfg (images, events and nodes malloc'ed, released
 * by world_config_release) and pc. */
static void make_case(int idx, struct world_config *cfg, struct pcase *pc)
{
	uint64_t s;
	size_t used = 0;
	int cluster, i;
	int32_t n_nodes = 0;
	struct world_event *e;

	memset(pc, 0, sizeof(*pc));
	pc->idx = idx;
	pc->seed = prop_case_seed(BASE_SEED, idx);
	s = pc->seed;
	world_config_init(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "pod-props-%d", idx);
	cfg->seed = sm_next(&s);
	cfg->until_ns = UNTIL_NS;
	cluster = sm_chance(&s, 50);
	cfg->images = calloc(2, sizeof(*cfg->images));
	cfg->events = calloc(3, sizeof(*cfg->events));
	cr_assert_not_null(cfg->images);
	cr_assert_not_null(cfg->events);
	cfg->n_images = 2;
	rand_image(&s, &cfg->images[0], "app:1", cluster);
	rand_image(&s, &cfg->images[1], "app:2", cluster);
	for (i = 0; i < 2; i++) {
		const struct image_config *im = &cfg->images[i];

		pc->startup_ns[i] = im->startup.a_ns;
		pc->up_ns[i] = im->readiness.enabled ||
					       im->startup_probe.enabled
				       ? im->startup.a_ns
				       : 0;
	}
	cfg->deployment.replicas = (int32_t)sm_range(&s, 1, 8);
	cfg->deployment.max_surge = intstr_int((int32_t)sm_range(&s, 0, 2));
	cfg->deployment.max_unavailable =
		intstr_int((int32_t)sm_range(&s, 0, 2));
	if (cfg->deployment.max_surge.value == 0 &&
	    cfg->deployment.max_unavailable.value == 0)
		cfg->deployment.max_surge = intstr_int(1);
	if (cluster) {
		n_nodes = (int32_t)sm_range(&s, 1, 4);
		cfg->cluster.enabled = 1;
		cfg->cluster.nodes = calloc((size_t)n_nodes,
					    sizeof(*cfg->cluster.nodes));
		cr_assert_not_null(cfg->cluster.nodes);
		cfg->cluster.n_nodes = n_nodes;
		for (i = 0; i < n_nodes; i++) {
			struct node_config *n = &cfg->cluster.nodes[i];

			snprintf(n->name, sizeof(n->name), "node-%d", i + 1);
			n->cpu_milli = sm_chance(&s, 50)
					       ? sm_range(&s, 1000, 4000)
					       : 0;
			n->max_pods = 110;
		}
		if (sm_chance(&s, 50)) {
			cfg->deployment.pdb.enabled = 1;
			cfg->deployment.pdb.use_min_available = 1;
			cfg->deployment.pdb.min_available = intstr_int(
				(int32_t)sm_range(&s, 0,
						  cfg->deployment.replicas));
		}
	}
	e = add_event(cfg, sm_range(&s, 60, 400) * S, ACTION_SET_IMAGE);
	e->image = 1;
	e = add_event(cfg, sm_range(&s, 30, 700) * S, ACTION_DELETE_POD);
	e->pick = PICK_RANDOM;
	e->revision = (int32_t)sm_range(&s, 1, 2);
	if (cluster && n_nodes >= 2) {
		e = add_event(cfg, sm_range(&s, 30, 700) * S,
			      ACTION_DRAIN_NODE);
		e->node = (int32_t)sm_range(&s, 0, n_nodes - 1);
	}
	qsort(cfg->events, cfg->n_events, sizeof(*cfg->events),
	      prop_event_cmp);

	used = prop_desc_add(pc->desc, used, sizeof(pc->desc),
			     "case %d seed 0x%016" PRIx64 ": R=%d surge=%d "
			     "unav=%d nodes=%d pdb=%d", idx, pc->seed,
			     (int)cfg->deployment.replicas,
			     (int)cfg->deployment.max_surge.value,
			     (int)cfg->deployment.max_unavailable.value,
			     (int)n_nodes, cfg->deployment.pdb.enabled ?
			     (int)cfg->deployment.pdb.min_available.value : -1);
	for (i = 0; i < (int)cfg->n_events; i++)
		used = prop_desc_add(pc->desc, used, sizeof(pc->desc),
				     " ev%d@%llds", (int)cfg->events[i].action,
				     (long long)(cfg->events[i].at_ns / S));
	desc_image(pc, &used, &cfg->images[0]);
	desc_image(pc, &used, &cfg->images[1]);
}

/* ---------------------------------------------------------- observer */

struct ppod {
	char name[128];             /* "pod/NAME" */
	int image;                  /* 0 or 1, -1 unknown */
	sim_time_t started;         /* latest Started, -1 none */
	int n_started;
	int killed;                 /* killed by a probe since Started */
	int deleted;
	int stop_seen;              /* Killing "Stopping container app" */
};

struct watch {
	const struct pcase *pc;
	struct ppod *pods;
	size_t n_pods, cap_pods;
	char rs[MAX_RS][128];       /* "replicaset/NAME" in order seen */
	int n_rs;
	sim_time_t last_t;
	int32_t last_total;         /* old + new + terminating */
	double integral_ns;         /* of last_total */
	int n_deleted;
	struct prop_violations viol;
};

static struct ppod *find_pod(struct watch *w, const char *object)
{
	size_t i;

	for (i = 0; i < w->n_pods; i++)
		if (strcmp(w->pods[i].name, object) == 0)
			return &w->pods[i];
	return NULL;
}

static int rs_image(struct watch *w, const char *object)
{
	int i;

	for (i = 0; i < w->n_rs; i++)
		if (strcmp(w->rs[i], object) == 0)
			return i < 2 ? i : -1;
	if (w->n_rs == MAX_RS)
		return -1;
	snprintf(w->rs[w->n_rs], sizeof(w->rs[0]), "%s", object);
	i = w->n_rs++;
	return i < 2 ? i : -1;
}

static void pod_created(struct watch *w, const char *rs_obj, const char *name)
{
	struct ppod *p;

	if (w->n_pods == w->cap_pods) {
		size_t ncap = w->cap_pods ? w->cap_pods * 2 : 64;
		struct ppod *n = realloc(w->pods, ncap * sizeof(*n));

		cr_assert_not_null(n);
		w->pods = n;
		w->cap_pods = ncap;
	}
	p = &w->pods[w->n_pods++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "pod/%s", name);
	p->image = rs_image(w, rs_obj);
	p->started = -1;
}

static void mark_deleted(struct watch *w, struct ppod *p)
{
	if (!p || p->deleted)
		return;
	p->deleted = 1;
	w->n_deleted++;
}

/* P3: events that must not follow a deletion (Killing is checked in
 * w_on_event). */
static int after_delete_forbidden(const char *reason)
{
	static const char *const bad[] = { "Scheduled", "FailedScheduling",
					   "Pulling", "Pulled", "Failed",
					   "BackOff", "Created", "Started" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(reason, bad[i]) == 0)
			return 1;
	return 0;
}

/* P2 broken: a probe answer (what) at an age on the wrong side (cmp) of
 * the startup U of the pod's image. */
static void answer_violation(struct watch *w, const struct ppod *p,
			     sim_time_t t, const char *what, const char *cmp,
			     const char *message)
{
	prop_violation(&w->viol, t, "%s: %s at age %.3fs %s startup %.3fs: %s",
		       p->name, what, sim_ns_to_s(t - p->started), cmp,
		       sim_ns_to_s(w->pc->startup_ns[p->image]), message);
}

static void on_pod_event(struct watch *w, struct ppod *p, sim_time_t t,
			 const char *reason, const char *message)
{
	int img = p->image;

	if (p->deleted && after_delete_forbidden(reason)) {
		prop_violation(&w->viol, t, "%s after the deletion of %s: %s",
			       reason, p->name, message);
		return;
	}
	if (strcmp(reason, "Started") == 0) {
		p->started = t;
		p->n_started++;
		p->killed = 0;
	} else if (strcmp(reason, "Killing") == 0) {
		if (strstr(message, "Stopping container app")) {
			if (p->stop_seen)
				prop_violation(&w->viol, t,
					       "second deletion Killing of %s",
					       p->name);
			p->stop_seen = 1;
			mark_deleted(w, p);
		} else if (p->deleted) {
			prop_violation(&w->viol, t,
				       "probe Killing after the deletion of "
				       "%s: %s", p->name, message);
		} else {
			p->killed = 1;
		}
	} else if (strcmp(reason, "Evicted") == 0) {
		mark_deleted(w, p);
	} else if (strcmp(reason, "Unhealthy") == 0 && img >= 0) {
		sim_time_t up = p->started + w->pc->startup_ns[img];

		if (p->started < 0)
			prop_violation(&w->viol, t,
				       "%s: probe failure before any Started",
				       p->name);
		else if (strstr(message, "connection refused") && t >= up)
			answer_violation(w, p, t, "\"connection refused\"",
					 ">=", message);
		else if (strstr(message, "statuscode: 503") && t < up)
			answer_violation(w, p, t, "app up answer (503)", "<",
					 message);
	}
}

static void w_on_event(void *ctx, sim_time_t t, const char *type,
		       const char *reason, const char *object,
		       const char *message)
{
	struct watch *w = ctx;
	struct ppod *p;

	(void)type;
	if (t < w->last_t)
		prop_violation(&w->viol, t, "clock went back (on_event %s)",
			       reason);
	if (strcmp(reason, "SuccessfulCreate") == 0 &&
	    strncmp(message, "Created pod: ", 13) == 0) {
		pod_created(w, object, message + 13);
		return;
	}
	if (strcmp(reason, "SuccessfulDelete") == 0 &&
	    strncmp(message, "Deleted pod: ", 13) == 0) {
		char obj[128];

		snprintf(obj, sizeof(obj), "pod/%s", message + 13);
		mark_deleted(w, find_pod(w, obj));
		return;
	}
	if (strncmp(object, "pod/", 4) != 0)
		return;
	p = find_pod(w, object);
	if (!p) {
		prop_violation(&w->viol, t, "event %s about %s, never created",
			       reason, object);
		return;
	}
	on_pod_event(w, p, t, reason, message);
}

/* P1: pods up at t. */
static int32_t pods_up(const struct watch *w, sim_time_t t)
{
	int32_t n = 0;
	size_t i;

	for (i = 0; i < w->n_pods; i++) {
		const struct ppod *p = &w->pods[i];

		if (p->deleted || p->killed || p->started < 0 || p->image < 0)
			continue;
		if (p->started + w->pc->up_ns[p->image] <= t)
			n++;
	}
	return n;
}

static void w_on_counts(void *ctx, sim_time_t t, const struct world_counts *c)
{
	struct watch *w = ctx;
	int32_t ready = c->old_ready + c->new_ready, up;

	if (t < w->last_t)
		prop_violation(&w->viol, t, "clock went back (on_counts)");
	w->integral_ns += (double)(t - w->last_t) * w->last_total;
	w->last_t = t;
	w->last_total = c->old_pods + c->new_pods + c->terminating;
	up = pods_up(w, t);
	if (ready > up)
		prop_violation(&w->viol, t,
			       "%d Ready pods but only %d up (old_ready %d "
			       "new_ready %d)", ready, up, c->old_ready,
			       c->new_ready);
}

/* ------------------------------------------------------------- tests */

static int close_rel(double a, double b, double rel)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	return fabs(a - b) <= rel * m + 1e-9;
}

static int run_case(int idx)
{
	struct world_config cfg;
	struct pcase pc;
	struct watch *wt = calloc(1, sizeof(*wt));
	struct world_observer obs = { .ctx = wt, .on_counts = w_on_counts,
				      .on_event = w_on_event };
	struct world_metrics m;
	double integral_s, rev_sum = 0;
	int32_t extra_starts = 0, i;
	size_t k;
	int rc, bad;

	cr_assert_not_null(wt);
	make_case(idx, &cfg, &pc);
	wt->pc = &pc;
	rc = prop_run_world(&cfg, &obs, pc.desc, &m);
	world_config_release(&cfg);

	/* the last counts hold until the end */
	integral_s = (wt->integral_ns +
		      (double)(UNTIL_NS - wt->last_t) * wt->last_total) /
		     (double)S;
	for (i = 0; i < m.n_revisions; i++)
		rev_sum += m.rev_pod_seconds[i];
	for (k = 0; k < wt->n_pods; k++)
		if (wt->pods[k].n_started > 1)
			extra_starts += wt->pods[k].n_started - 1;

	cr_expect_eq(rc, 0, "%s: world_run returned %d", pc.desc, rc);
	cr_expect_eq(wt->viol.n, 0, "%s: %d violations, first: %s", pc.desc,
		     wt->viol.n, wt->viol.first);
	cr_expect(close_rel(m.pod_seconds, integral_s, 1e-6),
		  "%s: pod_seconds %.9f, integral of the counts %.9f", pc.desc,
		  m.pod_seconds, integral_s);
	cr_expect(close_rel(rev_sum, m.pod_seconds, 1e-6),
		  "%s: sum of rev_pod_seconds (%d revisions) %.9f, pod_seconds "
		  "%.9f", pc.desc, (int)m.n_revisions, rev_sum, m.pod_seconds);
	cr_expect(m.restarts >= extra_starts &&
			  m.restarts <= extra_starts + wt->n_deleted,
		  "%s: restarts %d, expected between the extra Started events "
		  "%d and that + deleted pods %d", pc.desc, m.restarts,
		  extra_starts, extra_starts + wt->n_deleted);
	bad = wt->viol.n || rc || !close_rel(m.pod_seconds, integral_s, 1e-6) ||
	      !close_rel(rev_sum, m.pod_seconds, 1e-6);
	free(wt->pods);
	free(wt);
	return bad;
}

Test(property, pod_lifecycle_random, .timeout = 120)
{
	int i, failed = 0;

	for (i = 0; i < N_CASES; i++)
		failed += run_case(i);
	cr_expect_eq(failed, 0, "%d of %d random scenarios failed", failed,
		     N_CASES);
}
