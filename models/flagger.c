/* flagger.c - Flagger's canary analysis with weighted traffic routing
 * (fluxcd/flagger pkg/controller/scheduler.go).
 *
 * A ticker runs advanceCanary every analysis interval (scheduleCanaries;
 * an interval below 10 s is raised to 10 s, canary.go
 * GetAnalysisInterval). A tick: a new target template is detected and
 * the target scaled up (checkCanaryStatus); the tick waits while either
 * Deployment rolls (IsPrimaryReady, IsCanaryReady); it rolls back once
 * failedChecks reaches the threshold; it checks the metrics (runAnalysis,
 * analysis_check) and, when they pass, moves the weight (runCanary,
 * nextStepWeight) or the iterations (runBlueGreen); at maxWeight it
 * copies the template to the primary (Promote), waits for the primary's
 * rolling update, routes all traffic back to it
 * (runPromotionTrafficShift) and scales the target to 0. Events carry
 * Flagger's own texts (reason Synced, pkg/controller/events.go) on
 * canary/NAME in namespace "default". The two Deployments themselves are
 * flagger_primary.c; docs/progressive.md §3 says where rollsim departs.
 */
#include <stdio.h>
#include <string.h>

#include "deployment.h"
#include "flagger_impl.h"
#include "world_impl.h"

#define FLAGGER_NS "default"
#define FLAGGER_TOTAL 100      /* totalWeight */

static const struct flagger_config *cfg_of(const struct world *w)
{
	return &w->dep.spec.prog.flagger;
}

static void emit(struct world *w, const char *type, const char *msg)
{
	char obj[DEPLOY_NAME_MAX + 16];

	snprintf(obj, sizeof(obj), "canary/%s", w->dep.spec.name);
	bus_emit(w, type, "Synced", obj, "%s", msg);
}

/* GetAnalysisInterval: below 10 s it is 10 s. */
static sim_time_t interval_of(const struct world *w)
{
	sim_time_t iv = cfg_of(w)->interval_ns;

	return iv < 10 * SIM_NS_PER_S ? 10 * SIM_NS_PER_S : iv;
}

/* GetAnalysisThreshold: 1 when unset or <= 0. */
static int32_t threshold_of(const struct world *w)
{
	int32_t t = cfg_of(w)->threshold;

	return t > 0 ? t : 1;
}

/* scheduler.go maxWeight: the last stepWeights entry (at most 100), else
 * maxWeight, else 100. */
static int32_t max_weight(const struct world *w)
{
	const struct flagger_config *c = cfg_of(w);

	if (c->n_step_weights > 0) {
		int32_t last = c->step_weights[c->n_step_weights - 1];

		return last < FLAGGER_TOTAL ? last : FLAGGER_TOTAL;
	}
	return c->max_weight > 0 ? c->max_weight : FLAGGER_TOTAL;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* scheduler.go nextStepWeight */
static int32_t next_step_weight(const struct world *w, int32_t weight)
{
	const struct flagger_config *c = cfg_of(w);
	int32_t max_step = FLAGGER_TOTAL - weight, i;

	if (c->step_weight > 0 || c->n_step_weights == 0)
		return c->step_weight;
	if (max_step == 0)
		return 1;
	if (weight == 0)
		return min32(max_step, c->step_weights[0]);
	for (i = 0; i + 1 < c->n_step_weights; i++)
		if (c->step_weights[i] == weight)
			return min32(max_step, c->step_weights[i + 1] - weight);
	return max_step;
}

static void set_weight(struct world *w, int32_t weight)
{
	w->prog.flagger.weight = weight;
	route_set_weight(w, weight);
	bus_changed(w);
}

static void window_stop(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;

	if (fs->win_on)
		analysis_window_stop(w, &fs->win);
	fs->win_on = 0;
}

/* Flagger writes the target's spec.replicas; its controller follows. */
static void scale_target(struct world *w, int32_t replicas)
{
	w->prog.flagger.target_replicas = replicas;
	deploy_request_sync(w);
}

/* scheduler.go rollback: all traffic to the primary, target to 0, Failed */
static void rollback(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	const char *name = w->dep.spec.name;
	char msg[DEPLOY_NAME_MAX + 96];

	if (fs->failed_checks >= threshold_of(w)) {
		snprintf(msg, sizeof(msg), "Rolling back %s.%s failed checks "
			 "threshold reached %d", name, FLAGGER_NS,
			 fs->failed_checks);
		emit(w, "Warning", msg);
		delivery_detected(w);
	}
	set_weight(w, 0);
	delivery_rolled_back(w);
	snprintf(msg, sizeof(msg), "Canary failed! Scaling down %s.%s", name,
		 FLAGGER_NS);
	emit(w, "Warning", msg);
	scale_target(w, 0);
	fs->phase = FLAGGER_FAILED;
	window_stop(w);
}

/* checkCanaryStatus with a new revision: scale the target up
 * (ScaleFromZero: its own replicas, else the primary's), Progressing. */
static void detect(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	char msg[DEPLOY_NAME_MAX + 64];
	int32_t n = w->dep.spec.replicas;

	snprintf(msg, sizeof(msg), "New revision detected! Scaling up %s.%s",
		 w->dep.spec.name, FLAGGER_NS);
	emit(w, "Normal", msg);
	fs->phase = FLAGGER_PROGRESSING;
	fs->failed_checks = 0;
	fs->iterations = 0;
	fs->applied_tmpl = w->dep.tmpl;
	set_weight(w, 0);
	scale_target(w, n > 0 ? n : fs->primary_replicas);
}

/* hasCanaryRevisionChanged during the analysis: start it again. */
static void restart(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	char msg[DEPLOY_NAME_MAX + 64];

	set_weight(w, 0);
	fs->failed_checks = 0;
	fs->iterations = 0;
	fs->applied_tmpl = w->dep.tmpl;
	window_stop(w);
	snprintf(msg, sizeof(msg), "New revision detected! Restarting "
		 "analysis for %s.%s", w->dep.spec.name, FLAGGER_NS);
	emit(w, "Normal", msg);
}

/* runCanary / runBlueGreen at the end: Promote copies the template spec
 * to the primary, which then rolls (flagger_primary.c). */
static void promote(struct world *w)
{
	char msg[2 * DEPLOY_NAME_MAX + 64];
	const char *name = w->dep.spec.name;

	snprintf(msg, sizeof(msg), "Copying %s.%s template spec to "
		 "%s-primary.%s", name, FLAGGER_NS, name, FLAGGER_NS);
	emit(w, "Normal", msg);
	w->prog.flagger.primary_tmpl = w->dep.tmpl;
	w->prog.flagger.phase = FLAGGER_PROMOTING;
	deploy_request_sync(w);
}

/* runCanary */
static void run_canary(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	char msg[DEPLOY_NAME_MAX + 64];
	int32_t weight = fs->weight;

	if (weight >= max_weight(w)) {
		promote(w);
		return;
	}
	weight += next_step_weight(w, weight);
	set_weight(w, min32(weight, FLAGGER_TOTAL));
	snprintf(msg, sizeof(msg), "Advance %s.%s canary weight %d",
		 w->dep.spec.name, FLAGGER_NS, fs->weight);
	emit(w, "Normal", msg);
}

/* runBlueGreen: iterations at weight 0, then all traffic to the canary,
 * then the promotion. */
static void run_blue_green(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	int32_t n = cfg_of(w)->iterations;
	char msg[DEPLOY_NAME_MAX + 64];

	if (n > fs->iterations) {
		fs->iterations++;
		snprintf(msg, sizeof(msg), "Advance %s.%s canary iteration "
			 "%d/%d", w->dep.spec.name, FLAGGER_NS, fs->iterations,
			 n);
		emit(w, "Normal", msg);
	} else if (n == fs->iterations) {
		emit(w, "Normal", "Routing all traffic to canary");
		set_weight(w, FLAGGER_TOTAL);
		fs->iterations++;
	} else {
		promote(w);
	}
}

/* runPromotionTrafficShift, once the primary has rolled. */
static void traffic_shift(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	int32_t step = cfg_of(w)->step_weight_promotion, primary;
	char msg[DEPLOY_NAME_MAX + 64];

	if (step == 0) {
		emit(w, "Normal", "Routing all traffic to primary");
		set_weight(w, 0);
		fs->phase = FLAGGER_FINALISING;
		delivery_promoted(w);    /* the primary, rolled, takes all */
		return;
	}
	if (fs->weight <= 0)
		return;
	primary = min32(FLAGGER_TOTAL - fs->weight + step, FLAGGER_TOTAL);
	set_weight(w, fs->weight - step > 0 ? fs->weight - step : 0);
	snprintf(msg, sizeof(msg), "Advance %s.%s primary weight %d",
		 w->dep.spec.name, FLAGGER_NS, primary);
	emit(w, "Normal", msg);
	if (primary == FLAGGER_TOTAL) {
		fs->phase = FLAGGER_FINALISING;
		delivery_promoted(w);
	}
}

/* Finalising: the target to 0, Succeeded. */
static void finalise(struct world *w)
{
	char msg[DEPLOY_NAME_MAX + 64];

	scale_target(w, 0);
	w->prog.flagger.phase = FLAGGER_SUCCEEDED;
	window_stop(w);
	snprintf(msg, sizeof(msg), "Promotion completed! Scaling down %s.%s",
		 w->dep.spec.name, FLAGGER_NS);
	emit(w, "Normal", msg);
}

/* The analysis of one tick: "Starting canary analysis" at weight 0 and
 * iteration 0 (no check), else runAnalysis over the requests since the
 * last check. 0 when the check failed (failedChecks + 1). */
static int run_checks(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	const struct flagger_config *c = cfg_of(w);
	char m[160], msg[DEPLOY_NAME_MAX + 240];
	int r;

	if (fs->weight == 0 && fs->iterations == 0) {
		snprintf(msg, sizeof(msg), "Starting canary analysis for %s.%s",
			 w->dep.spec.name, FLAGGER_NS);
		emit(w, "Normal", msg);
		window_stop(w);
		analysis_window_reset(w, &fs->win, w->dep.tmpl);
		fs->win_on = 1;
		return 1;
	}
	if (c->metrics.n_metrics == 0)
		return 1;
	r = analysis_check(w, &fs->win, &c->metrics, m, sizeof(m));
	if (r > 0 || (r < 0 && c->iterations > 0))
		return 1;          /* Blue/Green without canary traffic: §3 */
	fs->failed_checks++;
	if (r < 0 && m[0] == '\0')
		snprintf(m, sizeof(m), "no values found for metric %s",
			 c->metrics.metrics[0].name);
	snprintf(msg, sizeof(msg), "Halt %s.%s advancement %s",
		 w->dep.spec.name, FLAGGER_NS, m);
	emit(w, "Warning", msg);
	return 0;
}

static int idle(const struct flagger_state *fs)
{
	return fs->phase == FLAGGER_INITIALIZED ||
	       fs->phase == FLAGGER_SUCCEEDED || fs->phase == FLAGGER_FAILED;
}

/* isDeploymentReady for the target: a ProgressDeadlineExceeded
 * condition, or one not ready while its Available condition has been
 * False (MinimumReplicasUnavailable) for longer than the Canary's
 * progressDeadlineSeconds, cannot be retried. */
static int target_ready(struct world *w, char *m, size_t n, int *retriable)
{
	const struct deploy_state *d = &w->dep;
	sim_time_t now = engine_now(w->eng);

	if (d->progress == PROGRESS_DEADLINE_EXCEEDED) {
		*retriable = 0;
		snprintf(m, n, "deployment \"%s\" exceeded its progress "
			 "deadline", d->spec.name);
		return 0;
	}
	if (flagger_deploy_ready(w, 0, d->tmpl,
				 w->prog.flagger.target_replicas, m, n))
		return 1;
	if (d->available_cond == 0 &&
	    d->available_since_ns + cfg_of(w)->progress_deadline_ns < now)
		*retriable = 0;
	return 0;
}

/* IsPrimaryReady / IsCanaryReady; a waiting Deployment is a Warning. */
static int ready(struct world *w, int owner, int *retriable)
{
	const struct flagger_state *fs = &w->prog.flagger;
	const char *name = w->dep.spec.name;
	char m[160], msg[DEPLOY_NAME_MAX + 240];

	*retriable = 1;
	if (owner) {
		if (flagger_deploy_ready(w, 1, fs->primary_tmpl,
					 fs->primary_replicas, m, sizeof(m)))
			return 1;
		snprintf(msg, sizeof(msg), "%s-primary.%s not ready: %s", name,
			 FLAGGER_NS, m);
	} else {
		if (!target_ready(w, m, sizeof(m), retriable))
			snprintf(msg, sizeof(msg), "canary deployment %s.%s "
				 "not ready: %s", name, FLAGGER_NS, m);
		else
			return 1;
	}
	emit(w, "Warning", msg);
	return 0;
}

/* advanceCanary, from shouldAdvance on. */
static void advance(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	int retriable;

	if (idle(fs) && w->dep.tmpl == fs->applied_tmpl)
		return;                          /* shouldAdvance: no */
	if (!ready(w, 1, &retriable))
		return;
	if (idle(fs)) {
		detect(w);
		return;
	}
	if (fs->phase == FLAGGER_PROGRESSING &&
	    w->dep.tmpl != fs->applied_tmpl) {
		restart(w);
		return;
	}
	if (!ready(w, 0, &retriable)) {
		if (!retriable)
			rollback(w);
		return;
	}
	if (fs->phase == FLAGGER_PROMOTING) {
		traffic_shift(w);
		return;
	}
	if (fs->phase == FLAGGER_FINALISING) {
		finalise(w);
		return;
	}
	if (fs->failed_checks >= threshold_of(w)) {
		rollback(w);
		return;
	}
	if (!run_checks(w))
		return;
	if (cfg_of(w)->iterations > 0)
		run_blue_green(w);
	else if (next_step_weight(w, fs->weight) > 0)
		run_canary(w);
}

static void arm_tick(struct world *w);

static void ev_tick(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	struct flagger_state *fs = &w->prog.flagger;

	(void)arg;
	fs->tick = ENGINE_HANDLE_NONE;
	advance(w);
	if (!idle(fs) || w->dep.tmpl != fs->applied_tmpl)
		arm_tick(w);
}

/* The ticker fires at multiples of the interval from the run's start; it
 * rests while there is nothing to advance (the next sync re-arms it, at
 * the same multiples). */
static void arm_tick(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	sim_time_t iv = interval_of(w), now = engine_now(w->eng);

	if (fs->tick != ENGINE_HANDLE_NONE)
		return;
	fs->tick = engine_schedule(w->eng, (now / iv + 1) * iv, ev_tick, w, 0);
}

void flagger_init(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;

	memset(fs, 0, sizeof(*fs));
	fs->phase = FLAGGER_INITIALIZED;
	fs->tick = ENGINE_HANDLE_NONE;
	fs->primary_replicas = w->dep.spec.replicas;
	fs->primary_tmpl = w->dep.tmpl;
	fs->applied_tmpl = w->dep.tmpl;
	fs->target_replicas = 0;
	fs->win.slot = -1;
	route_set_weight(w, 0);
}

int flagger_once(struct world *w)
{
	int changed = flagger_reconcile(w);

	if (!idle(&w->prog.flagger) ||
	    w->dep.tmpl != w->prog.flagger.applied_tmpl)
		arm_tick(w);
	return changed;
}

/* Succeeded for the current template, the target's pods gone. */
int flagger_complete(const struct world *w)
{
	const struct flagger_state *fs = &w->prog.flagger;

	return fs->phase == FLAGGER_SUCCEEDED &&
	       fs->applied_tmpl == w->dep.tmpl &&
	       fs->primary_tmpl == w->dep.tmpl && flagger_target_pods(w) == 0;
}

/* The confirm-promotion gate is not modelled: promote has no effect. */
void flagger_promote(struct world *w, int full)
{
	(void)w;
	(void)full;
}

/* A rollback webhook (runRollbackHooks), acted on at once. */
void flagger_abort(struct world *w)
{
	struct flagger_state *fs = &w->prog.flagger;
	char msg[DEPLOY_NAME_MAX + 64];

	if (fs->phase != FLAGGER_PROGRESSING)
		return;
	snprintf(msg, sizeof(msg), "Rolling back %s.%s manual webhook invoked",
		 w->dep.spec.name, FLAGGER_NS);
	emit(w, "Warning", msg);
	rollback(w);
}

void flagger_retry(struct world *w)
{
	(void)w;
}
