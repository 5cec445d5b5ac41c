/* test_operations.c - invariants of random operation sequences (whole world).
 *
 * Each case (own seed, printed with every parameter on failure) runs one
 * Deployment for 1 h: replicas 1..500 (80% in 1..20), RollingUpdate with
 * random int-or-percent maxSurge / maxUnavailable (not both literal zero)
 * or Recreate (20%), three images with random pull / startup / shutdown
 * times, grace 0..30 s, preStop, and a readiness probe or none; all pods
 * healthy (no neverReady, no crash). Then 1..8 user operations at distinct
 * random times in [10 s, 600 s]: setImage (one of the 3 images), scale to
 * 0..2R, rollout pause / resume / undo (to revision 0 or 1..4), deletePod
 * (random or oldest pod of revision 1..4) and apply (a random subset of
 * replicas, maxSurge, maxUnavailable, image), followed by a rollout resume
 * at 700 s so that every case ends unpaused. A case whose final spec
 * would need more than MAX_WAVES rollout waves (R / (S + U)) is drawn
 * again, so that every rollout can finish within the hour.
 *
 * Section numbers "§N" are those of docs/kubernetes.md. The test keeps its
 * own model of the Deployment spec (§1 validation: an apply whose result
 * has both literal zeros is rejected; §8: undo is refused while paused,
 * picks the second-highest revision for 0, skips a target with the
 * current template) and of the ReplicaSets' revisions (§2.3, §8: a new
 * template gets max+1; adopting an existing ReplicaSet raises its revision
 * to max+1; nothing is created while paused; Recreate creates the new
 * ReplicaSet only once every old pod is gone). Checked:
 *  (a) every on_counts: all counts >= 0; ready <= pods; available ==
 *      ready (minReadySeconds 0); pending <= pods.
 *  (b) after 1 h: DeploymentComplete (§7) with the final replicas R: new
 *      == available == R, old == 0, terminating == 0, specs R/0;
 *      metrics.complete when a rollout was triggered; conditions
 *      Progressing "True NewReplicaSetAvailable" and Available True; the
 *      deadline never exceeded (pods are healthy, every wave progresses
 *      within ~1 min, the deadline is 600 s).
 *  (c) surge / availability envelope (see "the envelope" below).
 *  (d) the revision of on_counts never decreases and is >= 1 after the
 *      first sync; metrics.revision equals the model's revision (when the
 *      model is certain, see Recreate below), else <= 1 + the number of
 *      operations that may change the template.
 *  (e) accounting: at every on_counts, old + new pods == pods created
 *      (SuccessfulCreate events) - pods deleted by the ReplicaSets
 *      (SuccessfulDelete) - pods deleted by the user (a deletePod whose
 *      first callback is not a NotFound warning); metrics.pods_created ==
 *      SuccessfulCreate events >= final R; and, as a test of its own
 *      (operations_timeline_final), the last on_counts equals the final
 *      world_get_counts (the timeline ends in the true state).
 *  (f) determinism: every DET_EVERY-th case (all of them) is run twice and
 *      must give the identical on_counts sequence (times and counts) and
 *      metrics.
 *
 * The envelope. Between two user operations the spec (R, S = MaxSurge, U =
 * MaxUnavailable; Recreate: S = U = 0) is fixed and pods are healthy. A
 * pod's availability is then lost only when a controller deletes it, and
 *  - the rolling step (§2.4/§2.5) never raises the sum of ReplicaSet specs
 *    above R + S (new-up stops at R + S; everything else scales down);
 *  - it deletes available pods only inside the budget availTotal -
 *    (R - U) of §2.5 step 2: cleanupUnhealthyReplicas' victims are the
 *    unavailable pods (the ReplicaSet deletes Pending / not-ready pods
 *    first, §4 rules 1-3), new-down (§2.4) removes unavailable new pods
 *    first and leaves R >= R - U available otherwise;
 *  - while paused, scale() (§3) has nothing to add once the specs sum to
 *    R + S, and Recreate deletes old pods only on a template change (an
 *    operation) and then reaches "all R available" only at completion.
 * So once the Deployment is inside the envelope "non-terminating pods <=
 * R + S and available >= R - U" (Recreate: <= R and >= R) it stays there
 * until the next operation; but it need not be inside right after one
 * (a scale-up cannot create availability at once, a deletePod removes an
 * available pod, Recreate drops to 0 by design). The test therefore
 * checks, in each stretch between operations (and after the last one, at
 * 700 s, up to the end), every on_counts from the first instant whose
 * final state is inside the envelope; in the last stretch that instant
 * must come (at the latest the completion). States inside one instant are
 * not used to enter the envelope: there the controllers' writes and pod
 * deletions run one at a time. With an instant ReplicaSet controller,
 * active pods == spec at the end of every instant.
 *
 * Recreate and revisions: the new ReplicaSet is created once the old pods
 * are gone, somewhere in [trigger, trigger + max grace + 2 s] (§5, §11: a
 * preStop overrunning the grace period gets 2 s more). When an operation
 * falls inside that window the model does not know the ReplicaSets at
 * that moment and gives up on exact revisions for the case ("uncertain").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

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
#define DET_EVERY 1        /* determinism: every DET_EVERY-th case */
#define BASE_SEED UINT64_C(0x0be7a710c0ffee42)
#define UNTIL_NS (3600 * S)
#define RESUME_NS (700 * S)
#define EV_MIN_NS (10 * S)
#define EV_MAX_NS (600 * S)
#define MAX_USER_EV 8
#define MAX_EV (MAX_USER_EV + 1)
#define N_IMAGES 3
#define MAX_RS 16
#define MAX_WAVES 20    /* final R / (S + U): completes well within 1 h */

/* ------------------------------------------------------------ model */

struct mspec {
	int32_t r;
	enum strategy_type st;
	struct intstr ms, mu;
	int image;
	int paused;
};

struct mrs {
	int image;            /* template = image (no overrides) */
	int32_t revision;
};

struct model {
	struct mspec sp;
	struct mrs rs[MAX_RS];
	int n_rs;
	int32_t cur_rev;      /* the Deployment's revision */
	int pending;          /* Recreate: new RS due once old pods are gone */
	sim_time_t pending_t; /* since */
	sim_time_t max_term;  /* longest termination of any pod */
	int certain;          /* revisions known exactly */
	int triggered;        /* some template change happened */
	int may_change;       /* operations that may change the template */
};

static int32_t model_max_rev(const struct model *m, int except)
{
	int32_t best = 0;
	int i;

	for (i = 0; i < m->n_rs; i++)
		if (i != except && m->rs[i].revision > best)
			best = m->rs[i].revision;
	return best;
}

static void model_create(struct model *m)
{
	if (m->n_rs == MAX_RS) {
		m->certain = 0;
		return;
	}
	m->rs[m->n_rs].image = m->sp.image;
	m->rs[m->n_rs].revision = model_max_rev(m, -1) + 1;
	m->cur_rev = m->rs[m->n_rs].revision;
	m->n_rs++;
}

/* A Deployment sync (§2.3 getNewReplicaSet, §5): adopt the RS of the
 * current template (raising its revision), else create one unless paused
 * (Recreate: only once the old pods are gone). */
static void model_sync(struct model *m, sim_time_t t)
{
	int i;

	for (i = 0; i < m->n_rs; i++)
		if (m->rs[i].image == m->sp.image) {
			int32_t mx = model_max_rev(m, i);

			if (m->rs[i].revision <= mx)
				m->rs[i].revision = mx + 1;
			m->cur_rev = m->rs[i].revision;
			m->pending = 0;
			return;
		}
	if (m->sp.paused)
		return;
	if (m->sp.st == STRATEGY_ROLLING_UPDATE) {
		model_create(m);
	} else if (!m->pending) {
		m->pending = 1;
		m->pending_t = t;
	}
}

static void model_template(struct model *m, int image, sim_time_t t)
{
	if (image == m->sp.image)
		return;
	m->sp.image = image;
	m->triggered = 1;
	model_sync(m, t);
}

/* kubectl rollout undo (§8, kubectl's deploymentRevision). */
static void model_undo(struct model *m, int32_t to, sim_time_t t)
{
	int i, first = -1, second = -1, target = -1;

	if (m->sp.paused)
		return;
	for (i = 0; i < m->n_rs; i++) {
		if (to > 0) {
			if (m->rs[i].revision == to)
				target = i;
			continue;
		}
		if (first < 0 || m->rs[i].revision > m->rs[first].revision) {
			second = first;
			first = i;
		} else if (second < 0 ||
			   m->rs[i].revision > m->rs[second].revision) {
			second = i;
		}
	}
	if (to == 0)
		target = second;
	if (target < 0 || m->rs[target].image == m->sp.image)
		return;
	model_template(m, m->rs[target].image, t);
}

static int both_literal_zero(const struct mspec *sp)
{
	return sp->st == STRATEGY_ROLLING_UPDATE && sp->ms.value == 0 &&
	       sp->mu.value == 0;
}

static void model_apply(struct model *m, const struct deploy_patch *p,
			sim_time_t t)
{
	struct mspec next = m->sp;

	if (p->mask & PATCH_REPLICAS)
		next.r = p->v.replicas;
	if (p->mask & PATCH_MAX_SURGE)
		next.ms = p->v.max_surge;
	if (p->mask & PATCH_MAX_UNAVAILABLE)
		next.mu = p->v.max_unavailable;
	if (both_literal_zero(&next))
		return;                     /* rejected by validation */
	next.image = m->sp.image;
	m->sp = next;
	if (p->mask & PATCH_IMAGE)
		model_template(m, p->v.image, t);
}

/* Recreate: an operation at t while the new RS may or may not exist yet
 * makes the model uncertain; past the window it exists. */
static void model_settle(struct model *m, sim_time_t t)
{
	if (!m->pending)
		return;
	if (t < m->pending_t + m->max_term) {
		m->certain = 0;
		m->pending = 0;
		return;
	}
	m->pending = 0;
	model_create(m);
}

static void model_event(struct model *m, const struct world_event *e)
{
	if (e->action == ACTION_SET_IMAGE || e->action == ACTION_UNDO ||
	    (e->action == ACTION_APPLY && (e->patch.mask & PATCH_IMAGE)))
		m->may_change++;
	model_settle(m, e->at_ns);
	switch (e->action) {
	case ACTION_SET_IMAGE:
		model_template(m, e->image, e->at_ns);
		break;
	case ACTION_APPLY:
		model_apply(m, &e->patch, e->at_ns);
		break;
	case ACTION_SCALE:
		m->sp.r = e->replicas;
		break;
	case ACTION_PAUSE:
		m->sp.paused = 1;
		break;
	case ACTION_RESUME:
		m->sp.paused = 0;
		break;
	case ACTION_UNDO:
		model_undo(m, e->to_revision, e->at_ns);
		break;
	default:
		break;
	}
	model_sync(m, e->at_ns);
}

/* ------------------------------------------------------------- a case */

struct envelope {
	int32_t max_nt;       /* R + S */
	int32_t min_av;       /* R - U */
	int32_t r;
};

struct ocase {
	int idx;
	uint64_t seed;
	struct mspec init;
	size_t n_ev;                       /* user events + the resume */
	sim_time_t ev_t[MAX_EV];
	enum world_action ev_a[MAX_EV];
	struct envelope env[MAX_EV + 1];   /* stretch k follows event k-1 */
	int32_t final_r;
	int certain;
	int32_t final_rev;
	int triggered;
	int tmpl_changes;                  /* operations that may change the
					      template: revision <= 1 + this */
	char desc[3072];
};

#define DESC(oc, used, ...) \
	((used) = prop_desc_add((oc)->desc, (used), sizeof((oc)->desc), \
				__VA_ARGS__))

static const char *is_str(struct intstr v, char *buf, size_t n)
{
	snprintf(buf, n, "%d%s", (int)v.value, v.is_percent ? "%" : "");
	return buf;
}

static void desc_dist(struct ocase *oc, size_t *used, const char *name,
		      const struct dist *d)
{
	if (d->kind == DIST_UNIFORM)
		DESC(oc, *used, " %s=U(%.3f,%.3f)", name, sim_ns_to_s(d->a_ns),
		     sim_ns_to_s(d->b_ns));
	else
		DESC(oc, *used, " %s=%.3f", name, sim_ns_to_s(d->a_ns));
}

static void rand_image(uint64_t *s, struct image_config *im, const char *name)
{
	image_config_defaults(im, name);
	if (sm_next(s) & 1) {
		im->pull = dist_constant(sm_range(s, 0, 15 * S));
	} else {
		im->pull.kind = DIST_UNIFORM;
		im->pull.a_ns = sm_range(s, 0, 10 * S);
		im->pull.b_ns = im->pull.a_ns + sm_range(s, 0, 10 * S);
	}
	im->startup.kind = DIST_UNIFORM;
	im->startup.a_ns = 0;
	im->startup.b_ns = sm_range(s, 0, 10 * S);
	im->shutdown.kind = DIST_UNIFORM;
	im->shutdown.a_ns = 0;
	im->shutdown.b_ns = sm_range(s, 0, 40 * S);
	im->grace_ns = sm_range(s, 0, 30) * S;
	im->prestop_ns = sm_chance(s, 50) ? 0 : sm_range(s, 0, 10) * S;
	if (sm_next(s) & 1) {
		probe_config_defaults(&im->readiness);
		im->readiness.period_ns = sm_range(s, 1, 10) * S;
		im->readiness.initial_delay_ns = sm_range(s, 0, 5) * S;
	} else {
		im->readiness.enabled = 0;
	}
}

static void desc_image(struct ocase *oc, size_t *used,
		       const struct image_config *im)
{
	DESC(oc, *used, " [%s", im->name);
	desc_dist(oc, used, "pull", &im->pull);
	desc_dist(oc, used, "startup", &im->startup);
	desc_dist(oc, used, "shutdown", &im->shutdown);
	DESC(oc, *used, " grace=%lld preStop=%lld",
	     (long long)(im->grace_ns / S), (long long)(im->prestop_ns / S));
	if (im->readiness.enabled)
		DESC(oc, *used, " probe(period=%lld,delay=%lld)",
		     (long long)(im->readiness.period_ns / S),
		     (long long)(im->readiness.initial_delay_ns / S));
	DESC(oc, *used, "]");
}

static void desc_event(struct ocase *oc, size_t *used,
		       const struct world_event *e)
{
	char a[16], b[16];

	DESC(oc, *used, "\n    %.3fs ", sim_ns_to_s(e->at_ns));
	switch (e->action) {
	case ACTION_SET_IMAGE:
		DESC(oc, *used, "setImage app:%d", e->image + 1);
		break;
	case ACTION_SCALE:
		DESC(oc, *used, "scale %d", (int)e->replicas);
		break;
	case ACTION_PAUSE:
		DESC(oc, *used, "pause");
		break;
	case ACTION_RESUME:
		DESC(oc, *used, "resume");
		break;
	case ACTION_UNDO:
		DESC(oc, *used, "undo to %d", (int)e->to_revision);
		break;
	case ACTION_DELETE_POD:
		DESC(oc, *used, "deletePod %s of revision %d",
		     e->pick == PICK_OLDEST ? "oldest" : "random",
		     (int)e->revision);
		break;
	case ACTION_APPLY:
		DESC(oc, *used, "apply");
		if (e->patch.mask & PATCH_REPLICAS)
			DESC(oc, *used, " replicas=%d", (int)e->patch.v.replicas);
		if (e->patch.mask & PATCH_MAX_SURGE)
			DESC(oc, *used, " maxSurge=%s",
			     is_str(e->patch.v.max_surge, a, sizeof(a)));
		if (e->patch.mask & PATCH_MAX_UNAVAILABLE)
			DESC(oc, *used, " maxUnavailable=%s",
			     is_str(e->patch.v.max_unavailable, b, sizeof(b)));
		if (e->patch.mask & PATCH_IMAGE)
			DESC(oc, *used, " image=app:%d", e->patch.v.image + 1);
		break;
	default:
		DESC(oc, *used, "action %d", (int)e->action);
	}
}

static void rand_apply(uint64_t *s, struct world_event *e,
		       const struct mspec *init)
{
	uint32_t allowed = PATCH_REPLICAS | PATCH_IMAGE;

	if (init->st == STRATEGY_ROLLING_UPDATE)
		allowed |= PATCH_MAX_SURGE | PATCH_MAX_UNAVAILABLE;
	deploy_config_defaults(&e->patch.v);
	do
		e->patch.mask = (uint32_t)sm_next(s) & allowed;
	while (e->patch.mask == 0);
	e->patch.v.replicas = (int32_t)sm_range(s, 0, 2 * init->r);
	e->patch.v.max_surge = prop_rand_intstr(s, init->r);
	e->patch.v.max_unavailable = prop_rand_intstr(s, init->r);
	e->patch.v.image = (int)sm_range(s, 0, N_IMAGES - 1);
}

static void rand_event(uint64_t *s, struct world_event *e,
		       const struct mspec *init)
{
	memset(e, 0, sizeof(*e));
	deploy_config_defaults(&e->patch.v);
	e->action = (enum world_action)sm_range(s, ACTION_SET_IMAGE,
						ACTION_DELETE_POD);
	switch (e->action) {
	case ACTION_SET_IMAGE:
		e->image = (int)sm_range(s, 0, N_IMAGES - 1);
		break;
	case ACTION_SCALE:
		e->replicas = (int32_t)sm_range(s, 0, 2 * init->r);
		break;
	case ACTION_UNDO:
		e->to_revision = sm_chance(s, 50) ? 0
						  : (int32_t)sm_range(s, 1, 4);
		break;
	case ACTION_DELETE_POD:
		e->pick = sm_chance(s, 50) ? PICK_RANDOM : PICK_OLDEST;
		e->revision = (int32_t)sm_range(s, 1, 4);
		break;
	case ACTION_APPLY:
		rand_apply(s, e, init);
		break;
	default:
		break;
	}
}

/* n distinct times in [EV_MIN_NS, EV_MAX_NS], whole milliseconds. */
static void rand_times(uint64_t *s, struct world_event *ev, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int dup;

		do {
			ev[i].at_ns = sm_range(s, EV_MIN_NS / MS,
					       EV_MAX_NS / MS) * MS;
			dup = 0;
			for (j = 0; j < i; j++)
				dup |= ev[j].at_ns == ev[i].at_ns;
		} while (dup);
	}
}

static struct envelope envelope_of(const struct mspec *sp)
{
	struct envelope e;
	int32_t surge, unav;

	prop_ref_resolve(sp->st, sp->r, sp->ms, sp->mu, &surge, &unav);
	e.max_nt = sp->r + surge;
	e.min_av = sp->r - unav;
	e.r = sp->r;
	return e;
}

/* Runs the model over the events; fills the envelopes and expectations.
 * Returns 0 when the final spec needs more than MAX_WAVES waves. */
static int model_case(struct ocase *oc, const struct world_config *cfg)
{
	struct model m;
	size_t i;
	int32_t surge, unav;

	memset(&m, 0, sizeof(m));
	m.sp = oc->init;
	m.certain = 1;
	for (i = 0; i < cfg->n_images; i++) {
		sim_time_t t = cfg->images[i].grace_ns + 2 * S + 1 * MS;

		if (t > m.max_term)
			m.max_term = t;
	}
	model_create(&m);                    /* the first sync at t = 0 */
	oc->env[0] = envelope_of(&m.sp);
	for (i = 0; i < cfg->n_events; i++) {
		model_event(&m, &cfg->events[i]);
		oc->env[i + 1] = envelope_of(&m.sp);
	}
	model_settle(&m, SIM_TIME_MAX);
	oc->final_r = m.sp.r;
	oc->certain = m.certain;
	oc->final_rev = m.cur_rev;
	oc->triggered = m.triggered;
	oc->tmpl_changes = m.may_change;
	prop_ref_resolve(m.sp.st, m.sp.r, m.sp.ms, m.sp.mu, &surge, &unav);
	if (m.sp.st != STRATEGY_ROLLING_UPDATE || m.sp.r == 0)
		return 1;
	return (m.sp.r + surge + unav - 1) / (surge + unav) <= MAX_WAVES;
}

/* Draws one attempt of case idx into cfg (images and events malloc'ed,
 * released by world_config_release) and oc. */
static int draw_case(int idx, int attempt, struct world_config *cfg,
		     struct ocase *oc)
{
	uint64_t s;
	size_t used = 0, i, n_user;
	char a[16], b[16];

	memset(oc, 0, sizeof(*oc));
	oc->idx = idx;
	oc->seed = prop_case_seed(BASE_SEED, idx) ^ ((uint64_t)attempt << 48);
	s = oc->seed;
	oc->init.r = sm_chance(&s, 80) ? (int32_t)sm_range(&s, 1, 20)
				       : (int32_t)sm_range(&s, 21, 500);
	oc->init.st = sm_chance(&s, 20) ? STRATEGY_RECREATE
					: STRATEGY_ROLLING_UPDATE;
	oc->init.ms = intstr_percent(25);
	oc->init.mu = intstr_percent(25);
	if (oc->init.st == STRATEGY_ROLLING_UPDATE)
		do {
			oc->init.ms = prop_rand_intstr(&s, oc->init.r);
			oc->init.mu = prop_rand_intstr(&s, oc->init.r);
		} while (both_literal_zero(&oc->init));

	world_config_init(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "operations-%d", idx);
	cfg->seed = sm_next(&s);
	cfg->until_ns = UNTIL_NS;
	cfg->images = calloc(N_IMAGES, sizeof(*cfg->images));
	cfg->events = calloc(MAX_EV, sizeof(*cfg->events));
	cr_assert_not_null(cfg->images);
	cr_assert_not_null(cfg->events);
	cfg->n_images = N_IMAGES;
	for (i = 0; i < N_IMAGES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "app:%d", (int)i + 1);
		rand_image(&s, &cfg->images[i], name);
	}
	cfg->deployment.replicas = oc->init.r;
	cfg->deployment.strategy = oc->init.st;
	cfg->deployment.max_surge = oc->init.ms;
	cfg->deployment.max_unavailable = oc->init.mu;
	cfg->deployment.image = 0;

	n_user = (size_t)sm_range(&s, 1, MAX_USER_EV);
	for (i = 0; i < n_user; i++)
		rand_event(&s, &cfg->events[i], &oc->init);
	rand_times(&s, cfg->events, n_user);
	qsort(cfg->events, n_user, sizeof(*cfg->events), prop_event_cmp);
	memset(&cfg->events[n_user], 0, sizeof(cfg->events[n_user]));
	deploy_config_defaults(&cfg->events[n_user].patch.v);
	cfg->events[n_user].at_ns = RESUME_NS;
	cfg->events[n_user].action = ACTION_RESUME;
	cfg->n_events = n_user + 1;
	oc->n_ev = cfg->n_events;
	for (i = 0; i < cfg->n_events; i++) {
		oc->ev_t[i] = cfg->events[i].at_ns;
		oc->ev_a[i] = cfg->events[i].action;
	}

	DESC(oc, used, "case %d seed 0x%016" PRIx64 " (world seed 0x%016"
	     PRIx64 "): R=%d %s", idx, oc->seed, cfg->seed, (int)oc->init.r,
	     oc->init.st == STRATEGY_RECREATE ? "Recreate" : "RollingUpdate");
	if (oc->init.st == STRATEGY_ROLLING_UPDATE)
		DESC(oc, used, " maxSurge=%s maxUnavailable=%s",
		     is_str(oc->init.ms, a, sizeof(a)),
		     is_str(oc->init.mu, b, sizeof(b)));
	for (i = 0; i < N_IMAGES; i++)
		desc_image(oc, &used, &cfg->images[i]);
	for (i = 0; i < cfg->n_events; i++)
		desc_event(oc, &used, &cfg->events[i]);
	if (!model_case(oc, cfg))
		return 0;
	DESC(oc, used, "\n    model: final R=%d revision %d%s, envelope "
	     "after 700 s: non-terminating <= %d, available >= %d",
	     (int)oc->final_r, (int)oc->final_rev,
	     oc->certain ? "" : " (uncertain)",
	     (int)oc->env[oc->n_ev].max_nt, (int)oc->env[oc->n_ev].min_av);
	return 1;
}

static void make_case(int idx, struct world_config *cfg, struct ocase *oc)
{
	int attempt;

	for (attempt = 0;; attempt++) {
		if (draw_case(idx, attempt, cfg, oc))
			return;
		world_config_release(cfg);
	}
}

/* ---------------------------------------------------------- observer */

struct rec {
	sim_time_t t;
	struct world_counts c;
};

struct watch {
	const struct ocase *oc;
	/* (a), (d), first violation */
	struct prop_violations viol;
	int32_t last_rev;
	sim_time_t last_t;
	long n_counts;
	struct world_counts last;
	int have_last;
	/* (c) the envelope */
	size_t stretch;
	int entered;
	int entered_last;             /* the stretch after 700 s entered */
	long n_checked;               /* on_counts checked inside it */
	int have_cur;
	sim_time_t cur_t;
	struct world_counts cur;
	/* (e) accounting */
	int32_t created, rs_deleted, user_deleted;
	size_t next_del;              /* next event to look at for deletePod */
	/* (f) determinism */
	int recording;                /* 1 record, 2 compare */
	struct rec *recs;
	size_t n_recs, cap_recs;
	size_t cmp_pos;
	long first_diff;              /* index of the first difference */
};

/* The deletePod operations reached by time t: the first callback at an
 * operation's time comes from it (user events are scheduled first, so
 * they run first among events due at the same instant). A NotFound
 * warning means nothing was deleted; anything else means one pod was. */
static void note_deletes(struct watch *w, sim_time_t t, const char *reason)
{
	const struct ocase *oc = w->oc;

	while (w->next_del < oc->n_ev && oc->ev_t[w->next_del] <= t) {
		size_t j = w->next_del++;

		if (oc->ev_a[j] != ACTION_DELETE_POD)
			continue;
		if (t != oc->ev_t[j]) {
			prop_violation(&w->viol, t,
				       "deletePod at %.3fs gave no callback",
				       sim_ns_to_s(oc->ev_t[j]));
			continue;
		}
		if (reason && strcmp(reason, "NotFound") == 0)
			continue;
		w->user_deleted++;
	}
}

static void w_on_event(void *ctx, sim_time_t t, const char *type,
		       const char *reason, const char *object,
		       const char *message)
{
	struct watch *w = ctx;

	(void)type;
	(void)object;
	(void)message;
	if (t < w->last_t)
		prop_violation(&w->viol, t,
			       "clock went back from %lld ns (on_event)",
			       (long long)w->last_t);
	w->last_t = t;
	note_deletes(w, t, reason);
	if (strcmp(reason, "SuccessfulCreate") == 0)
		w->created++;
	else if (strcmp(reason, "SuccessfulDelete") == 0)
		w->rs_deleted++;
}

/* Number of operations at times < t (strict) or <= t. */
static size_t ops_before(const struct ocase *oc, sim_time_t t, int incl)
{
	size_t k = 0;

	while (k < oc->n_ev && (oc->ev_t[k] < t || (incl && oc->ev_t[k] == t)))
		k++;
	return k;
}

static int inside(const struct world_counts *c, const struct envelope *e)
{
	return c->old_pods + c->new_pods <= e->max_nt &&
	       c->available >= e->min_av;
}

static void set_stretch(struct watch *w, size_t k)
{
	if (k == w->stretch)
		return;
	w->stretch = k;
	w->entered = 0;
}

/* (c): a new instant began at t, so cur is the final state of the last
 * one; it may let the current stretch enter the envelope. */
static void envelope_instant_end(struct watch *w, sim_time_t t)
{
	const struct ocase *oc = w->oc;

	if (!w->have_cur || t <= w->cur_t)
		return;
	set_stretch(w, ops_before(oc, t, 0));
	if (!w->entered && inside(&w->cur, &oc->env[w->stretch]))
		w->entered = 1;
}

static void envelope_check(struct watch *w, sim_time_t t,
			   const struct world_counts *c)
{
	const struct ocase *oc = w->oc;
	const struct envelope *e;

	envelope_instant_end(w, t);
	set_stretch(w, ops_before(oc, t, 1));
	e = &oc->env[w->stretch];
	w->n_checked += w->entered;
	if (w->entered && !inside(c, e))
		prop_violation(&w->viol, t,
			       "left the envelope after operation %zu (R=%d: "
			       "non-terminating <= %d, available >= %d): "
			       "new=%d old=%d available=%d terminating=%d "
			       "desired %d/%d", w->stretch, e->r, e->max_nt,
			       e->min_av, c->new_pods, c->old_pods,
			       c->available, c->terminating, c->desired_new,
			       c->desired_old);
}

static void check_signs(struct watch *w, sim_time_t t,
			const struct world_counts *c)
{
	if (c->revision < 0 || c->old_pods < 0 || c->new_pods < 0 ||
	    c->old_ready < 0 || c->new_ready < 0 || c->available < 0 ||
	    c->terminating < 0 || c->pending < 0 || c->endpoints < 0 ||
	    c->desired_old < 0 || c->desired_new < 0)
		prop_violation(&w->viol, t,
			       "negative count: rev=%d old=%d new=%d "
			       "old_ready=%d new_ready=%d available=%d term=%d "
			       "pending=%d endpoints=%d desired %d/%d",
			       c->revision, c->old_pods, c->new_pods,
			       c->old_ready, c->new_ready, c->available,
			       c->terminating, c->pending, c->endpoints,
			       c->desired_new, c->desired_old);
	if (c->old_ready > c->old_pods || c->new_ready > c->new_pods ||
	    c->pending > c->old_pods + c->new_pods)
		prop_violation(&w->viol, t,
			       "ready or pending above pods: old %d/%d new "
			       "%d/%d pending %d", c->old_ready, c->old_pods,
			       c->new_ready, c->new_pods, c->pending);
	if (c->available != c->old_ready + c->new_ready)
		prop_violation(&w->viol, t, "available %d != ready %d+%d with "
			       "minReadySeconds 0", c->available, c->old_ready,
			       c->new_ready);
}

static void check_revision(struct watch *w, sim_time_t t,
			   const struct world_counts *c)
{
	if (c->revision < w->last_rev)
		prop_violation(&w->viol, t, "revision went down from %d to %d",
			       w->last_rev, c->revision);
	if (t > 0 && c->revision < 1)
		prop_violation(&w->viol, t, "revision %d after t = 0",
			       c->revision);
	w->last_rev = c->revision;
}

static void record(struct watch *w, sim_time_t t,
		   const struct world_counts *c)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.c = *c;
	if (w->recording == 1) {
		if (w->n_recs == w->cap_recs) {
			size_t cap = w->cap_recs ? 2 * w->cap_recs : 1024;
			struct rec *n = realloc(w->recs, cap * sizeof(*n));

			cr_assert_not_null(n);
			w->recs = n;
			w->cap_recs = cap;
		}
		w->recs[w->n_recs++] = r;
	} else if (w->recording == 2 && w->first_diff < 0) {
		if (w->cmp_pos >= w->n_recs ||
		    memcmp(&w->recs[w->cmp_pos], &r, sizeof(r)) != 0)
			w->first_diff = (long)w->cmp_pos;
		w->cmp_pos++;
	}
}

static void w_on_counts(void *ctx, sim_time_t t, const struct world_counts *c)
{
	struct watch *w = ctx;

	if (t < w->last_t)
		prop_violation(&w->viol, t,
			       "clock went back from %lld ns (on_counts)",
			       (long long)w->last_t);
	w->last_t = t;
	note_deletes(w, t, NULL);
	w->n_counts++;
	check_signs(w, t, c);
	check_revision(w, t, c);
	if (c->old_pods + c->new_pods !=
	    w->created - w->rs_deleted - w->user_deleted)
		prop_violation(&w->viol, t,
			       "old+new = %d+%d != created %d - deleted by "
			       "ReplicaSets %d - deleted by the user %d",
			       c->old_pods, c->new_pods, w->created,
			       w->rs_deleted, w->user_deleted);
	envelope_check(w, t, c);
	record(w, t, c);
	w->cur = *c;
	w->cur_t = t;
	w->have_cur = 1;
	w->last = *c;
	w->have_last = 1;
}

/* ------------------------------------------------------------- runs */

/* cr_expect that also notes the failure in bad. */
#define EXPECT(bad, cond, ...) \
	do { \
		int ok_ = (cond) ? 1 : 0; \
		cr_expect(ok_, __VA_ARGS__); \
		(bad) |= !ok_; \
	} while (0)

struct outcome {
	int rc;
	struct world_metrics m;
	struct world_counts fin;
};

static void run_once(const struct world_config *cfg, struct watch *wt,
		     struct outcome *o, const struct ocase *oc)
{
	struct world_observer obs;
	world *w = NULL;

	memset(&obs, 0, sizeof(obs));
	obs.ctx = wt;
	obs.on_counts = w_on_counts;
	obs.on_event = w_on_event;
	o->rc = world_new(cfg, 0, &obs, &w);
	cr_assert_eq(o->rc, 0, "%s\n  world_new returned %d", oc->desc, o->rc);
	o->rc = world_run(w);
	world_get_metrics(w, &o->m);
	world_get_counts(w, &o->fin);
	world_free(w);
	/* the end closes the last instant */
	envelope_instant_end(wt, SIM_TIME_MAX);
	wt->entered_last = wt->entered && wt->stretch == oc->n_ev;
}

static void watch_init(struct watch *w, const struct ocase *oc)
{
	memset(w, 0, sizeof(*w));
	w->oc = oc;
	w->first_diff = -1;
}

/* (e), separately: the last on_counts is the state at the end. */
static int check_timeline(const struct ocase *oc, const struct watch *wt,
			  const struct outcome *o)
{
	const struct world_counts *f = &o->fin;
	int bad = 0;

	EXPECT(bad, wt->have_last && memcmp(&wt->last, f, sizeof(*f)) == 0,
	       "%s\n  last on_counts (rev %d new %d old %d avail %d desired "
	       "%d/%d term %d) != final counts (rev %d new %d old %d avail %d "
	       "desired %d/%d term %d)", oc->desc, wt->last.revision,
	       wt->last.new_pods, wt->last.old_pods, wt->last.available,
	       wt->last.desired_new, wt->last.desired_old,
	       wt->last.terminating, f->revision, f->new_pods, f->old_pods,
	       f->available, f->desired_new, f->desired_old, f->terminating);
	return bad;
}

static int check_final(const struct ocase *oc, const struct watch *wt,
		       const struct outcome *o)
{
	const struct world_counts *f = &o->fin;
	const struct world_metrics *m = &o->m;
	int32_t r = oc->final_r;
	int bad = 0;

	EXPECT(bad, (o->rc) == (0), "%s\n  world_run returned %d", oc->desc,
			     o->rc);
	EXPECT(bad, (wt->viol.n) == (0), "%s\n  %d violations, first: %s",
			     oc->desc, wt->viol.n, wt->viol.first);
	EXPECT(bad, f->new_pods == r && f->available == r &&
				  f->old_pods == 0 && f->terminating == 0 &&
				  f->desired_new == r && f->desired_old == 0 &&
				  f->pending == 0,
			  "%s\n  final expected new=%d available=%d old=0 "
			  "terminating=0 desired %d/0 pending 0, got new=%d "
			  "available=%d old=%d terminating=%d desired %d/%d "
			  "pending %d", oc->desc, r, r, r, f->new_pods,
			  f->available, f->old_pods, f->terminating,
			  f->desired_new, f->desired_old, f->pending);
	EXPECT(bad, m->triggered_ns < 0 || m->complete == 1,
			  "%s\n  rollout triggered at %.3fs but complete = %d",
			  oc->desc, sim_ns_to_s(m->triggered_ns),
			  m->complete);
	EXPECT(bad, !oc->certain ||
				  (m->triggered_ns >= 0) == oc->triggered,
			  "%s\n  triggered expected %d, got triggered_ns %lld",
			  oc->desc, oc->triggered,
			  (long long)m->triggered_ns);
	EXPECT(bad, strcmp(m->progressing,
				 "True NewReplicaSetAvailable") == 0 &&
				  strcmp(m->available,
					 "True MinimumReplicasAvailable") == 0,
			  "%s\n  conditions expected Progressing True "
			  "NewReplicaSetAvailable, Available True; got "
			  "\"%s\", \"%s\"", oc->desc, m->progressing,
			  m->available);
	EXPECT(bad, (m->deadline_exceeded) == (0),
			     "%s\n  ProgressDeadlineExceeded with healthy pods",
			     oc->desc);
	EXPECT(bad, m->pods_created == wt->created &&
				  m->pods_created >= r,
			  "%s\n  pods_created %d, SuccessfulCreate events %d, "
			  "final R %d", oc->desc, m->pods_created, wt->created,
			  r);
	EXPECT(bad, m->revision == f->revision && m->revision >= 1,
			  "%s\n  metrics.revision %d, final counts revision %d",
			  oc->desc, m->revision, f->revision);
	EXPECT(bad, oc->certain ? m->revision == oc->final_rev
				      : m->revision <= 1 + oc->tmpl_changes,
			  "%s\n  revision expected %s%d, got %d", oc->desc,
			  oc->certain ? "" : "<= ",
			  oc->certain ? oc->final_rev : 1 + oc->tmpl_changes,
			  m->revision);
	EXPECT(bad, wt->entered_last,
			  "%s\n  after the last operation the envelope "
			  "(non-terminating <= %d, available >= %d) was never "
			  "entered", oc->desc, oc->env[oc->n_ev].max_nt,
			  oc->env[oc->n_ev].min_av);
	return bad;
}

/* (f): the same configuration again, compared callback by callback. */
static int check_determinism(const struct world_config *cfg,
			     struct watch *first, const struct outcome *o1,
			     const struct ocase *oc)
{
	struct watch *wt = calloc(1, sizeof(*wt));
	struct outcome o2;
	int bad;

	cr_assert_not_null(wt);
	watch_init(wt, oc);
	wt->recording = 2;
	wt->recs = first->recs;
	wt->n_recs = first->n_recs;
	run_once(cfg, wt, &o2, oc);
	bad = 0;
	EXPECT(bad, wt->first_diff < 0 && wt->cmp_pos == first->n_recs &&
				 o2.m.events == o1->m.events &&
				 o2.m.pods_created == o1->m.pods_created &&
				 o2.m.revision == o1->m.revision &&
				 o2.m.completed_ns == o1->m.completed_ns,
			 "%s\n  not deterministic: first different on_counts "
			 "#%ld of %zu/%zu; events %llu/%llu, completed "
			 "%lld/%lld", oc->desc, wt->first_diff, first->n_recs,
			 wt->cmp_pos, (unsigned long long)o1->m.events,
			 (unsigned long long)o2.m.events,
			 (long long)o1->m.completed_ns,
			 (long long)o2.m.completed_ns);
	free(wt);
	return bad;
}

struct tally {
	int failed;
	int uncertain;          /* cases without exact revisions */
	long counts, checked;   /* on_counts seen / checked in the envelope */
};

/* timeline = 0: everything but the timeline check; 1: only it. */
static void run_case(int idx, int timeline, struct tally *ty)
{
	struct world_config cfg;
	struct ocase *oc = calloc(1, sizeof(*oc));
	struct watch *wt = calloc(1, sizeof(*wt));
	struct outcome o;
	int bad;

	cr_assert_not_null(oc);
	cr_assert_not_null(wt);
	make_case(idx, &cfg, oc);
	ty->uncertain += !oc->certain;
	watch_init(wt, oc);
	wt->recording = !timeline && idx % DET_EVERY == 0 ? 1 : 0;
	run_once(&cfg, wt, &o, oc);
	ty->counts += wt->n_counts;
	ty->checked += wt->n_checked;
	if (timeline) {
		bad = check_timeline(oc, wt, &o);
	} else {
		bad = check_final(oc, wt, &o);
		if (wt->recording)
			bad |= check_determinism(&cfg, wt, &o, oc);
	}
	ty->failed += bad;
	world_config_release(&cfg);
	free(wt->recs);
	free(wt);
	free(oc);
}

/* (a)-(d), (f) and the accounting of (e). */
Test(property, operations_random, .timeout = 900)
{
	struct tally ty;
	int i;

	memset(&ty, 0, sizeof(ty));
	for (i = 0; i < N_CASES; i++)
		run_case(i, 0, &ty);
	cr_expect_eq(ty.failed, 0, "%d of %d random operation cases failed",
		     ty.failed, N_CASES);
	/* the exact revision check must cover most cases */
	cr_expect(ty.uncertain < N_CASES / 10,
		  "%d of %d cases without an exact revision model",
		  ty.uncertain, N_CASES);
	/* the envelope check must not be vacuous */
	cr_expect(ty.checked * 4 > ty.counts,
		  "only %ld of %ld on_counts were checked against the envelope",
		  ty.checked, ty.counts);
}

/* (e): the timeline's last row is the final state. The counts include the
 * revision and the old/new split, which change when the Deployment adopts
 * or creates a ReplicaSet, also when no pod changes with it. */
Test(property, operations_timeline_final, .timeout = 900)
{
	struct tally ty;
	int i;

	memset(&ty, 0, sizeof(ty));
	for (i = 0; i < N_CASES; i++)
		run_case(i, 1, &ty);
	cr_expect_eq(ty.failed, 0, "%d of %d random operation cases end with "
		     "a stale last on_counts", ty.failed, N_CASES);
}
