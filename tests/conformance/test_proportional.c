/* test_proportional.c - proportional scaling (docs/kubernetes.md §3).
 *
 * 1. Cases P1..P12 (values worked out by hand from upstream sync.go
 *    scale() and deployment_util.go GetProportion / getReplicaSetFraction;
 *    upstream tests scale() in sync_test.go TestScale) through the pure
 *    deploy_scale(), plus a few rows derived here step by step from §3
 *    (toAdd = 0, leftover to the first, shrinking ties, clamp at 0, no
 *    active ReplicaSet, Recreate). ReplicaSets are given in creation order,
 *    oldest first; out[i] = -1 means "left alone" (upstream writes every
 *    *active* ReplicaSet in the proportional path, even when its size does
 *    not change, because scaleReplicaSet refreshes the annotations).
 * 2. The same rule in the whole world: R = 10, defaults (25%/25%), pods
 *    available exactly D = 10 s after creation, setImage at 100 s and a
 *    scale in the middle of the rollout (state (5,8) of the worked example
 *    of docs/kubernetes.md §2.6), with the expected sequence derived by
 *    hand from §2.4, §2.5, §3 and §4 in the comments of each test.
 */
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
#include "conf_world.h"

#define I(v) { 0, (v) }
#define P(v) { 1, (v) }
#define RU STRATEGY_ROLLING_UPDATE
#define RC STRATEGY_RECREATE
#define MAX_RS 4

/* ------------------------------------------------------- deploy_scale */

struct scale_row {
	const char *name;
	enum strategy_type st;
	int32_t replicas;              /* the new R */
	struct intstr ms, mu;          /* the Deployment's values */
	int32_t surge;                 /* MaxSurge resolved for the new R
					  (allowed = R + surge) */
	int32_t status_replicas;       /* d.status.replicas */
	size_t n;
	/* spec, avail, desired-replicas, max-replicas; oldest first */
	struct rs_scale_in rs[MAX_RS];
	long new_idx;
	int32_t want[MAX_RS];          /* size written, -1 left alone */
};

static const struct scale_row scale_rows[] = {
	/* P1 10 -> 15: old round(8*19/13 = 11.69) = 12 (+4), new
	 * round(5*19/13 = 7.31) = 7 (+2) */
	{ "P1 10->15 new 5 old 8", RU, 15, P(25), P(25), 4, 13, 2,
	  { { 8, 8, 10, 13 }, { 5, 0, 10, 13 } }, 1, { 12, 7 } },
	/* P2: old round(14.62) = 15 (+5), new +1 (capped by what is left) */
	{ "P2 10->15 new 3 old 10", RU, 15, P(25), P(25), 4, 13, 2,
	  { { 10, 10, 10, 13 }, { 3, 0, 10, 13 } }, 1, { 15, 4 } },
	/* P3: sorted oldA(5), new(4), oldB(4) (tie: newer first when
	 * growing), +2 each */
	{ "P3 10->15 oldA 5 oldB 4 new 4", RU, 15, P(25), P(25), 4, 13, 3,
	  { { 5, 5, 10, 13 }, { 4, 4, 10, 13 }, { 4, 0, 10, 13 } }, 2,
	  { 7, 6, 6 } },
	/* P4 10 -> 5: surge ceil(1.25) = 2, allowed 7, toAdd -6: old
	 * round(4.31) = 4 (-4), new round(2.69) = 3 (-2) */
	{ "P4 10->5 new 5 old 8", RU, 5, P(25), P(25), 2, 13, 2,
	  { { 8, 8, 10, 13 }, { 5, 0, 10, 13 } }, 1, { 4, 3 } },
	/* P5 R = 0: allowed 0, fraction = -spec */
	{ "P5 10->0 new 5 old 8", RU, 0, P(25), P(25), 0, 13, 2,
	  { { 8, 8, 10, 13 }, { 5, 0, 10, 13 } }, 1, { 0, 0 } },
	/* P6 10 -> 11: surge ceil(2.75) = 3, allowed 14, toAdd +1: the old
	 * (largest) takes it; the new keeps 5 (still written) */
	{ "P6 10->11 new 5 old 8", RU, 11, P(25), P(25), 3, 13, 2,
	  { { 8, 8, 10, 13 }, { 5, 0, 10, 13 } }, 1, { 9, 5 } },
	/* P7: new 10 is not saturated for R = 15: new round(14.62) = 15,
	 * old round(4.38) = 4 */
	{ "P7 10->15 new 10 old 3", RU, 15, P(25), P(25), 4, 13, 2,
	  { { 3, 3, 10, 13 }, { 10, 10, 10, 13 } }, 1, { 4, 15 } },
	/* P8 4 -> 5, maxSurge 0, maxUnavailable 1: round(2*5/4 = 2.5) = 3,
	 * half away from zero; tie -> newer (the new RS) first */
	{ "P8 4->5 0/1 new 2 old 2 (round 2.5 -> 3)", RU, 5, I(0), I(1), 0, 4,
	  2, { { 2, 2, 4, 4 }, { 2, 0, 4, 4 } }, 1, { 2, 3 } },
	/* P9: annotations missing, the denominator is status.replicas 13 */
	{ "P9 10->15 no annotations, status.replicas 13", RU, 15, P(25), P(25),
	  4, 13, 2, { { 8, 8, -1, -1 }, { 5, 0, -1, -1 } }, 1, { 12, 7 } },
	/* P10 10 -> 20: allowed 25, toAdd 12: new round(11.54) = 12 (+6),
	 * oldA round(7.69) = 8 (+4), oldB +3 capped by the remaining 2 */
	{ "P10 10->20 new 6 oldA 4 oldB 3", RU, 20, P(25), P(25), 5, 13, 3,
	  { { 4, 4, 10, 13 }, { 3, 3, 10, 13 }, { 6, 6, 10, 13 } }, 2,
	  { 8, 5, 12 } },
	/* P11: one active ReplicaSet (FindActiveOrLatest) -> set to R */
	{ "P11 10->15 single active RS", RU, 15, P(25), P(25), 4, 10, 2,
	  { { 0, 0, 10, 13 }, { 10, 10, 15, 19 } }, 1, { -1, 15 } },
	/* P12: new saturated (spec = desired annotation = avail = R) ->
	 * every active old to 0, the new left alone */
	{ "P12 15->15 saturated new, old 2", RU, 15, P(25), P(25), 4, 17, 2,
	  { { 2, 2, 15, 19 }, { 15, 15, 15, 19 } }, 1, { 0, -1 } },

	/* Derived here from §3. toAdd = 0 (e.g. a paused Deployment whose
	 * sizes already sum to R + S): every active RS written unchanged. */
	{ "X1 toAdd 0 writes all active unchanged", RU, 10, P(25), P(25), 3, 13,
	  3, { { 0, 0, 10, 13 }, { 8, 8, 10, 13 }, { 5, 0, 10, 13 } }, 2,
	  { -1, 8, 5 } },
	/* Leftover to the first: R 2 -> 3 (surge 1, allowed 4; old max 3),
	 * three RSs of 1: each round(4/3) - 1 = 0, leftover +1 goes to the
	 * first in size-desc/newer-first order = the newest, which is not
	 * the new RS (the new RS is the oldest, as after an undo). */
	{ "X2 leftover to first (newest on tie)", RU, 3, P(25), P(25), 1, 3, 3,
	  { { 1, 1, 2, 3 }, { 1, 1, 2, 3 }, { 1, 0, 2, 3 } }, 0,
	  { 1, 1, 2 } },
	/* Shrinking ties go older first: R 3 -> 1 (surge 1, allowed 2, old
	 * max 4), three RSs of 1: round(1*2/4 = 0.5) = 1, fraction 0 each;
	 * leftover -1 to the oldest. */
	{ "X3 shrink tie -> oldest takes leftover", RU, 1, P(25), P(25), 1, 3,
	  3, { { 1, 1, 3, 4 }, { 1, 1, 3, 4 }, { 1, 0, 3, 4 } }, 2,
	  { 0, 1, 1 } },
	/* Clamp at 0: stale max-replicas 1 makes each fraction +6 while
	 * toAdd = 3 - 6 = -3: A 9, B 9, leftover -15 -> A -6 -> 0. */
	{ "X4 leftover clamp at 0", RU, 2, I(1), I(0), 1, 6, 2,
	  { { 3, 3, 2, 1 }, { 3, 0, 2, 1 } }, 1, { 0, 9 } },
	/* No active RS: FindActiveOrLatest returns the new RS. */
	{ "X5 none active -> new RS to R", RU, 5, P(25), P(25), 2, 0, 2,
	  { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } }, 1, { -1, 5 } },
	/* No active RS and no new RS: the newest old. */
	{ "X6 none active, no new -> newest old", RU, 5, P(25), P(25), 2, 0, 2,
	  { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } }, -1, { -1, 5 } },
	/* Recreate never reaches the proportional step. */
	{ "X7 Recreate, two active, not saturated", RC, 15, P(25), P(25), 0,
	  13, 2, { { 8, 8, 10, 10 }, { 5, 0, 10, 10 } }, 1, { -1, -1 } },
	/* Recreate, one active: set to R (step 1 applies to both). */
	{ "X8 Recreate, one active", RC, 15, P(25), P(25), 0, 10, 2,
	  { { 0, 0, 10, 10 }, { 10, 10, 10, 10 } }, 1, { -1, 15 } },
};

#define N_SCALE_ROWS (sizeof(scale_rows) / sizeof(scale_rows[0]))

static void fmt_sizes(const int32_t *v, size_t n, char *out, size_t cap)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < cap; i++) {
		int w = snprintf(out + used, cap - used, "%s%d", i ? "," : "[",
				 v[i]);
		if (w < 0)
			return;
		used += (size_t)w;
	}
	if (used < cap)
		snprintf(out + used, cap - used, "]");
}

Test(conformance, proportional_p1_p12)
{
	size_t i, k;

	cr_assert_eq(N_SCALE_ROWS, (size_t)20, "rows: %zu", N_SCALE_ROWS);
	for (i = 0; i < N_SCALE_ROWS; i++) {
		const struct scale_row *r = &scale_rows[i];
		int32_t out[MAX_RS], surge;
		char want_s[64], got_s[64];
		int n_write = 0, got_n;

		surge = deploy_max_surge(r->st, r->replicas, r->ms, r->mu);
		cr_expect_eq(surge, r->surge,
			     "case %s: MaxSurge(R=%d) expected %d, got %d",
			     r->name, r->replicas, r->surge, surge);
		for (k = 0; k < MAX_RS; k++)
			out[k] = -7;
		got_n = deploy_scale(r->st, r->replicas, r->surge,
				     r->status_replicas, r->rs, r->n,
				     r->new_idx, out);
		for (k = 0; k < r->n; k++)
			n_write += r->want[k] >= 0;
		fmt_sizes(r->want, r->n, want_s, sizeof(want_s));
		fmt_sizes(out, r->n, got_s, sizeof(got_s));
		for (k = 0; k < r->n; k++)
			cr_expect_eq(out[k], r->want[k],
				     "case %s: rs[%zu] expected %d, got %d "
				     "(all: expected %s, got %s)", r->name, k,
				     r->want[k], out[k], want_s, got_s);
		cr_expect_eq(got_n, n_write,
			     "case %s: ReplicaSets to write expected %d, got %d "
			     "(sizes expected %s, got %s)", r->name, n_write,
			     got_n, want_s, got_s);
	}
}

/* ------------------------------------------------------- world runs */

#define S SIM_NS_PER_S
#define MAX_INSTANTS 64

/* The state at the end of each instant (the last on_counts of a time),
 * plus running checks of the bounds from the scale on. */
struct inst {
	sim_time_t t;
	struct world_counts c;
};

struct wcap {
	sim_time_t scale_at;          /* the scale event */
	int32_t max_non_term;         /* bound from the scale on (R+S) */
	int32_t min_avail;            /* R-U, once first reached */
	size_t n;
	struct inst ends[MAX_INSTANTS];
	int overflow;
	/* from the end of the scale's instant on */
	int32_t peak_non_term;        /* max old+new seen after the scale's
					  instant, or at its end */
	int32_t peak_desired;         /* same for desired_new+desired_old */
	int reached_min;              /* available >= min_avail seen */
	int32_t prev_avail;
	int avail_fell_before_min;    /* decreased while below min_avail */
	int avail_below_min_after;    /* below min_avail after reaching it */
	sim_time_t first_bad_t;
	struct world_counts first_bad;
};

static void wcap_init(struct wcap *w, sim_time_t scale_at, int32_t max_nt,
		      int32_t min_av)
{
	memset(w, 0, sizeof(*w));
	w->scale_at = scale_at;
	w->max_non_term = max_nt;
	w->min_avail = min_av;
	w->prev_avail = -1;
	w->first_bad_t = -1;
}

static void wcap_bad(struct wcap *w, sim_time_t t,
		     const struct world_counts *c)
{
	if (w->first_bad_t >= 0)
		return;
	w->first_bad_t = t;
	w->first_bad = *c;
}

static void wcap_on_counts(void *ctx, sim_time_t t,
			   const struct world_counts *c)
{
	struct wcap *w = ctx;

	if (w->n > 0 && w->ends[w->n - 1].t == t) {
		w->ends[w->n - 1].c = *c;
	} else if (w->n == MAX_INSTANTS) {
		w->overflow = 1;
	} else {
		w->ends[w->n].t = t;
		w->ends[w->n].c = *c;
		w->n++;
	}
	if (t <= w->scale_at) {
		/* the scale's own instant: the writes and deletions run one by
		 * one (upstream too: scale() writes RSs in turn), so only the
		 * state at its end counts; it seeds the running checks */
		w->peak_non_term = c->old_pods + c->new_pods;
		w->peak_desired = c->desired_old + c->desired_new;
		w->prev_avail = c->available;
		w->reached_min = c->available >= w->min_avail;
		return;
	}
	if (c->old_pods + c->new_pods > w->peak_non_term)
		w->peak_non_term = c->old_pods + c->new_pods;
	if (c->desired_old + c->desired_new > w->peak_desired)
		w->peak_desired = c->desired_old + c->desired_new;
	if (!w->reached_min && c->available < w->prev_avail) {
		w->avail_fell_before_min = 1;
		wcap_bad(w, t, c);
	}
	if (c->available >= w->min_avail)
		w->reached_min = 1;
	else if (w->reached_min) {
		w->avail_below_min_after = 1;
		wcap_bad(w, t, c);
	}
	w->prev_avail = c->available;
}

/* The end-of-instant state at time t, or NULL if nothing happened then. */
static const struct world_counts *wcap_at(const struct wcap *w, sim_time_t t)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->ends[i].t == t)
			return &w->ends[i].c;
	return NULL;
}

static void wcap_format(const struct wcap *w, char *out, size_t cap)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < w->n && used < cap; i++) {
		int k = snprintf(out + used, cap - used, "%s%.3fs:(%d,%d)av%d",
				 i ? " " : "", sim_ns_to_s(w->ends[i].t),
				 w->ends[i].c.desired_new,
				 w->ends[i].c.desired_old,
				 w->ends[i].c.available);
		if (k < 0)
			return;
		used += (size_t)k;
	}
}

static void run_capture(const char *name, size_t n_extra,
			const struct world_event *extra, struct wcap *cap,
			struct world_metrics *m, struct world_counts *fin)
{
	/* R = 10 with the defaults 25%/25%, no minReadySeconds */
	struct conf_world p = { .replicas = 10, .strategy = RU,
				.max_surge = intstr_percent(25),
				.max_unav = intstr_percent(25),
				.pull_ns = CONF_D_NS, .extra = extra,
				.n_extra = n_extra };
	struct world_config cfg;
	struct world_observer obs;
	world *w = NULL;
	int rc;

	conf_world_config(&cfg, "proportional", &p);
	memset(&obs, 0, sizeof(obs));
	obs.ctx = cap;
	obs.on_counts = wcap_on_counts;
	rc = world_new(&cfg, 0, &obs, &w);
	cr_assert_eq(rc, 0, "case %s: world_new returned %d", name, rc);
	rc = world_run(w);
	cr_assert_eq(rc, 0, "case %s: world_run returned %d", name, rc);
	world_get_metrics(w, m);
	world_get_counts(w, fin);
	world_free(w);
	world_config_release(&cfg);
	cr_assert(!cap->overflow, "case %s: more than %d instants", name,
		  MAX_INSTANTS);
}

struct want_end {
	sim_time_t t;
	int32_t dnew, dold, avail;
};

/* Checks the end-of-instant states listed in want (other instants, e.g.
 * pods becoming available without a controller step, are not listed). */
static void check_ends(const char *name, const struct wcap *cap,
		       const struct want_end *want, size_t n)
{
	char got_s[4096];
	size_t i;

	wcap_format(cap, got_s, sizeof(got_s));
	for (i = 0; i < n; i++) {
		const struct world_counts *c = wcap_at(cap, want[i].t);

		cr_expect(c != NULL, "case %s: no state at %.3fs; got %s", name,
			  sim_ns_to_s(want[i].t), got_s);
		if (!c)
			continue;
		cr_expect(c->desired_new == want[i].dnew &&
				  c->desired_old == want[i].dold &&
				  c->available == want[i].avail,
			  "case %s: at %.3fs expected (new,old) = (%d,%d) "
			  "available %d, got (%d,%d) available %d\n  states: %s",
			  name, sim_ns_to_s(want[i].t), want[i].dnew,
			  want[i].dold, want[i].avail, c->desired_new,
			  c->desired_old, c->available, got_s);
	}
}

static void check_bounds(const char *name, const struct wcap *cap)
{
	cr_expect(cap->peak_non_term <= cap->max_non_term,
		  "case %s: non-terminating pods after the scale expected <= %d "
		  "(R+MaxSurge), got %d", name, cap->max_non_term,
		  cap->peak_non_term);
	cr_expect(cap->peak_desired <= cap->max_non_term,
		  "case %s: sum of ReplicaSet specs after the scale expected "
		  "<= %d, got %d", name, cap->max_non_term, cap->peak_desired);
	cr_expect(cap->reached_min, "case %s: available never reached %d",
		  name, cap->min_avail);
	cr_expect(!cap->avail_fell_before_min && !cap->avail_below_min_after,
		  "case %s: availability rule broken at %.3fs (available %d, "
		  "new %d old %d, desired %d/%d; bound %d)", name,
		  sim_ns_to_s(cap->first_bad_t), cap->first_bad.available,
		  cap->first_bad.new_pods, cap->first_bad.old_pods,
		  cap->first_bad.desired_new, cap->first_bad.desired_old,
		  cap->min_avail);
}

static void check_final(const char *name, const struct world_metrics *m,
			const struct world_counts *fin, int32_t r,
			sim_time_t completed, int32_t max_nt, int32_t min_av)
{
	cr_expect_eq(m->complete, 1, "case %s: complete expected 1, got %d",
		     name, m->complete);
	cr_expect_eq(m->completed_ns, completed,
		     "case %s: completed expected %.3fs, got %.3fs", name,
		     sim_ns_to_s(completed), sim_ns_to_s(m->completed_ns));
	cr_expect_eq(m->max_non_terminating, max_nt,
		     "case %s: max non-terminating pods expected %d, got %d",
		     name, max_nt, m->max_non_terminating);
	cr_expect_eq(m->min_available, min_av,
		     "case %s: min available expected %d, got %d", name, min_av,
		     m->min_available);
	cr_expect(fin->new_pods == r && fin->available == r &&
			  fin->old_pods == 0 && fin->desired_new == r &&
			  fin->desired_old == 0 && fin->terminating == 0,
		  "case %s: final expected new=%d available=%d old=0 desired "
		  "%d/0 terminating 0, got new=%d available=%d old=%d desired "
		  "%d/%d terminating %d", name, r, r, r, fin->new_pods,
		  fin->available, fin->old_pods, fin->desired_new,
		  fin->desired_old, fin->terminating);
}

static struct world_event ev_at(sim_time_t at, enum world_action a,
				int32_t replicas)
{
	struct world_event e;

	memset(&e, 0, sizeof(e));
	e.at_ns = at;
	e.action = a;
	e.replicas = replicas;
	return e;
}

/* Scale 10 -> 15 at 105 s, mid-rollout. Derivation (R=15: S=ceil(3.75)=4,
 * U=floor(3.75)=3, R+S=19, R-U=12; new pods available D after creation):
 *
 * 100 s  W1: (0,10) -> (3,10) -> (3,8) -> (5,8); the 5 new pods are due
 *        at 110 s. Old 8/8 available, new 5/0.
 * 105 s  scale: a scaling event (desired-replicas 10 != 15), §3 step 3,
 *        row P1: old 12, new 7 (19 = R+S). 4 more old-template pods and 2
 *        new pods are created (due at 115 s). The rollout sync that
 *        follows does nothing: new-up: 19 >= 19; old-down: maxScaledDown
 *        = 19 - 12 - (7-0) = 0. Available 8 (< 12: a scale-up cannot
 *        create availability at once).
 * 110 s  new 5/5 available, old 12 spec / 8 available. Old-down:
 *        maxScaledDown = 19-12-(7-5) = 5; cleanup removes 4 unhealthy
 *        (12-8; the RS deletes its 4 Pending pods first, §4 rule 2),
 *        then budget = (5+8) - 12 = 1 -> old 7. New-up: min(19-14, 15-7)
 *        = 5 -> new 12 (due 120 s). Then maxScaledDown = 19-12-(12-5) =
 *        0. (12,7), available 5+7 = 12.
 * 115 s  the 2 new pods of 105 s: new 12/7. maxScaledDown =
 *        19-12-(12-7) = 2, budget 14-12 = 2 -> old 5; new-up 2 -> 14
 *        (due 125 s). (14,5), available 12.
 * 120 s  new 14/12: maxScaledDown = 19-12-2 = 5, budget 17-12 = 5 -> old
 *        0; new-up min(5, 1) -> 15 (due 130 s). (15,0), available 12.
 * 125 s  new 15/14.  130 s: 15/15 -> complete (duration 3 D).
 *
 * Bounds from the end of the scale's instant on (inside it the writes and
 * pod deletions run one at a time): non-terminating <= 19 (proportional
 * scaling writes exactly R+S, new-up never exceeds R+S, §2.4). Available:
 * the controller removes an available pod only inside the budget
 * availTotal - minAvailable (§2.5 step 2), so available never decreases
 * while below 12 and, once >= 12 (at 110 s), never drops under 12. The
 * window's minimum is 8 (before and right after the scale). */
Test(conformance, proportional_world_scale_up_mid_rollout, .timeout = 60)
{
	static const struct want_end want[] = {
		{ 100 * S, 5, 8, 8 },    /* W1 at t = 0 */
		{ 105 * S, 7, 12, 8 },   /* P1 */
		{ 110 * S, 12, 7, 12 },
		{ 115 * S, 14, 5, 12 },
		{ 120 * S, 15, 0, 12 },
		{ 125 * S, 15, 0, 14 },
		{ 130 * S, 15, 0, 15 },
	};
	struct world_event ev = ev_at(105 * S, ACTION_SCALE, 15);
	struct wcap *cap = calloc(1, sizeof(*cap));
	struct world_metrics m;
	struct world_counts fin;
	const char *name = "scale 10->15 at 105 s";

	cr_assert_not_null(cap);
	wcap_init(cap, 105 * S, 19, 12);
	run_capture(name, 1, &ev, cap, &m, &fin);
	check_ends(name, cap, want, sizeof(want) / sizeof(want[0]));
	check_bounds(name, cap);
	check_final(name, &m, &fin, 15, 130 * S, 19, 8);
	free(cap);
}

/* Scale 10 -> 5 at 105 s (row P4 in the world). R=5: S=ceil(1.25)=2,
 * U=floor(1.25)=1, R+S = 7, R-U = 4.
 *
 * 105 s  P4: old 8 -> 4 (4 ready old pods deleted, available 4), new 5
 *        -> 3 (2 Pending new pods deleted). Rollout sync: new-up 7 >= 7;
 *        maxScaledDown = 7-4-(3-0) = 0. (3,4), available 4.
 * 110 s  new 3/3: maxScaledDown = 7-4-0 = 3, budget 7-4 = 3 -> old 1;
 *        new-up min(7-4, 5-3) = 2 -> 5 (due 120 s); maxScaledDown =
 *        7-4-(5-3) = 1 but availTotal 4 <= 4 -> nothing. (5,1), avail 4.
 * 120 s  new 5/5: maxScaledDown = 6-4-0 = 2, budget 6-4 = 2 -> old 0.
 *        (5,0), complete.
 * From the end of the scale's instant on: non-terminating <= 7 and
 * available >= 4. (Inside the instant the old RS is written first, as
 * upstream's size-descending order does, so the specs sum to 4+5 = 9 for
 * a moment and pods are deleted one by one.) */
Test(conformance, proportional_world_scale_down_mid_rollout, .timeout = 60)
{
	static const struct want_end want[] = {
		{ 105 * S, 3, 4, 4 },    /* P4 */
		{ 110 * S, 5, 1, 4 },
		{ 120 * S, 5, 0, 5 },
	};
	struct world_event ev = ev_at(105 * S, ACTION_SCALE, 5);
	struct wcap *cap = calloc(1, sizeof(*cap));
	struct world_metrics m;
	struct world_counts fin;
	const char *name = "scale 10->5 at 105 s";

	cr_assert_not_null(cap);
	wcap_init(cap, 105 * S, 7, 4);
	run_capture(name, 1, &ev, cap, &m, &fin);
	check_ends(name, cap, want, sizeof(want) / sizeof(want[0]));
	check_bounds(name, cap);
	/* window max: 13 during W1 before the scale; min: 4 */
	check_final(name, &m, &fin, 5, 120 * S, 13, 4);
	free(cap);
}

/* Paused at 102 s (in state (5,8)), scaled 10 -> 15 at 105 s, resumed at
 * 200 s. §8: while paused only the scaling path runs, so the scale is
 * applied proportionally (P1: (7,12)) and nothing else happens: at 110 s
 * and 115 s the pods become available but no rollout step is taken
 * (scale() sees toAdd = 19 - 19 = 0). At 115 s everything is available:
 * new 7/7, old 12/12.
 * 200 s  resume: no scaling event (annotations say 15). Old-down:
 *        maxScaledDown = 19-12-0 = 7, budget 19-12 = 7 -> old 5; new-up
 *        min(19-12, 15-7) = 7 -> 14 (due 210 s). (14,5), available 12.
 * 210 s  new 14/14: maxScaledDown = 19-12-0 = 7, budget 19-12 = 7 -> old
 *        0 (only 5); new-up min(5, 1) -> 15 (due 220 s). (15,0), avail 14.
 * 220 s  complete. */
Test(conformance, proportional_world_scale_while_paused, .timeout = 60)
{
	static const struct want_end want[] = {
		{ 105 * S, 7, 12, 8 },
		{ 110 * S, 7, 12, 13 },
		{ 115 * S, 7, 12, 19 },
		{ 200 * S, 14, 5, 12 },
		{ 210 * S, 15, 0, 14 },
		{ 220 * S, 15, 0, 15 },
	};
	struct world_event ev[3];
	struct wcap *cap = calloc(1, sizeof(*cap));
	struct world_metrics m;
	struct world_counts fin;
	const char *name = "pause 102 s, scale 10->15 at 105 s, resume 200 s";
	size_t i;

	cr_assert_not_null(cap);
	ev[0] = ev_at(102 * S, ACTION_PAUSE, 0);
	ev[1] = ev_at(105 * S, ACTION_SCALE, 15);
	ev[2] = ev_at(200 * S, ACTION_RESUME, 0);
	wcap_init(cap, 105 * S, 19, 12);
	run_capture(name, 3, ev, cap, &m, &fin);
	check_ends(name, cap, want, sizeof(want) / sizeof(want[0]));
	check_bounds(name, cap);
	/* nothing at all changes between 115 s and the resume */
	for (i = 0; i < cap->n; i++)
		cr_expect(cap->ends[i].t <= 115 * S || cap->ends[i].t >= 200 * S,
			  "case %s: the paused Deployment changed at %.3fs "
			  "(new,old) = (%d,%d)", name,
			  sim_ns_to_s(cap->ends[i].t), cap->ends[i].c.desired_new,
			  cap->ends[i].c.desired_old);
	check_final(name, &m, &fin, 15, 220 * S, 19, 8);
	free(cap);
}
