/* canary.c - Argo Rollouts' basic canary (no traffic routing), run by the
 * Deployment controller's sync (docs/progressive.md §1).
 *
 * canary_once is one pass of argo-rollouts rollout/canary.go
 * rolloutCanary: the analysis runs (rollout/analysis.go), then one
 * ReplicaSet changed (reconcileCanaryReplicaSets: the stable first, then
 * the canary, then the older ones, with canary_step.c's counts), else the
 * pause step (reconcileCanaryPause), else the status
 * (syncRolloutStatusCanary: full promotion, abort, step completion). It
 * returns 1 when it changed a ReplicaSet or the status, so deployment.c
 * runs it again at once, as each write requeues the Rollout upstream.
 */
#include <stdio.h>
#include <string.h>

#include "canary_step.h"
#include "world_impl.h"

#define CANARY_OLD_MAX 64   /* old ReplicaSets scaled down in one pass;
			       more wait for a later pass */

static const struct canary_config *cfg_of(const struct world *w)
{
	return &w->dep.spec.prog.canary;
}

static const char *ro_obj(const struct world *w, char *buf, size_t n)
{
	snprintf(buf, n, "rollout/%s", w->dep.spec.name);
	return buf;
}

static void ev_wake(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	if (arg == 0)
		w->prog.canary.pause_timer = ENGINE_HANDLE_NONE;
	else
		w->prog.canary.deadline_timer = ENGINE_HANDLE_NONE;
	deploy_request_sync(w);
}

/* The pod-template hash: the ReplicaSet's name after its last '-'. */
static const char *pod_hash(const struct world *w, int32_t rs)
{
	const char *d = strrchr(w->rs[rs].name, '-');

	return d ? d + 1 : w->rs[rs].name;
}

static int32_t stable_of(const struct world *w)
{
	int32_t s = w->prog.canary.stable_rs;

	return s >= 0 && !w->rs[s].deleted ? s : -1;
}

/* The stable ReplicaSet is the current template's (currentPodHash ==
 * stableRS). */
static int stable_is_current(const struct world *w)
{
	int32_t s = stable_of(w);

	return s >= 0 && w->rs[s].tmpl == w->dep.tmpl;
}

static int n_steps(const struct world *w)
{
	return cfg_of(w)->n_steps;
}

static int32_t weight_of(const struct world *w)
{
	const struct canary_state *st = &w->prog.canary;

	return canary_desired_weight(cfg_of(w), st->step, st->aborted,
				     st->promote_full, stable_of(w) >= 0,
				     stable_is_current(w));
}

static int is_other(const struct world *w, int32_t i)
{
	return !w->rs[i].deleted && w->rs[i].owner == 0 &&
	       i != w->dep.new_rs && i != stable_of(w);
}

static void rs_view(const struct world *w, int32_t i, struct canary_rs *r)
{
	r->spec = w->rs[i].spec;
	r->available = w->rs[i].available;
	r->replicas = w->rs[i].active;
}

/* The inputs of CalculateReplicaCountsForBasicCanary for the live
 * ReplicaSets; *older_avail gets the others' available replicas. */
static void calc_in(const struct world *w, struct canary_calc_in *in,
		    struct canary_rs *nr, struct canary_rs *sr,
		    int32_t *older_avail)
{
	const struct deploy_config *d = &w->dep.spec;
	int32_t i, s = stable_of(w);

	memset(in, 0, sizeof(*in));
	in->replicas = d->replicas;
	in->weight = weight_of(w);
	in->surge = canary_max_surge(d->replicas, cfg_of(w)->max_surge,
				     cfg_of(w)->max_unavailable);
	in->unavailable = canary_max_unavailable(d->replicas,
						 cfg_of(w)->max_surge,
						 cfg_of(w)->max_unavailable);
	if (w->dep.new_rs >= 0) {
		rs_view(w, w->dep.new_rs, nr);
		in->newrs = nr;
	}
	if (s >= 0) {
		rs_view(w, s, sr);
		in->stable = sr;
		in->stable_is_new = s == w->dep.new_rs;
	}
	*older_avail = 0;
	for (i = 0; i < w->n_rs; i++)
		if (is_other(w, i)) {
			in->older_spec += w->rs[i].spec;
			*older_avail += w->rs[i].available;
		}
}

/* ---------------------------------------------------------- events */

static void emit(struct world *w, const char *type, const char *reason,
		 const char *msg)
{
	char obj[DEPLOY_NAME_MAX + 16];

	bus_emit(w, type, reason, ro_obj(w, obj, sizeof(obj)), "%s", msg);
}

/* rollout/sync.go sendStateChangeEvents: the pause conditions went from
 * none to some ("Rollout is paused (REASON)") or back. */
static void add_pause(struct world *w, int inconclusive)
{
	struct canary_state *st = &w->prog.canary;
	int before = st->paused || st->inconclusive;

	if (inconclusive)
		st->inconclusive = 1;
	else {
		st->paused = 1;
		st->pause_start_ns = engine_now(w->eng);
	}
	st->controller_pause = 1;
	if (!before)
		emit(w, "Normal", "RolloutPaused",
		     inconclusive ? "Rollout is paused (InconclusiveAnalysisRun)"
				  : "Rollout is paused (CanaryPauseStep)");
}

static void clear_pause(struct world *w, int step_only)
{
	struct canary_state *st = &w->prog.canary;
	int before = st->paused || st->inconclusive;

	st->paused = 0;
	if (!step_only)
		st->inconclusive = 0;
	engine_cancel(w->eng, st->pause_timer);
	st->pause_timer = ENGINE_HANDLE_NONE;
	if (before && !st->paused && !st->inconclusive && !st->aborted)
		emit(w, "Normal", "RolloutResumed", "Rollout is resumed");
}

static void stop_runs(struct world *w)
{
	struct canary_state *st = &w->prog.canary;

	analysis_stop(w, &st->step_run);
	analysis_stop(w, &st->bg_run);
	st->step_run_step = -1;
	st->bg_started = 0;
}

/* status.abort = true, with the reason of the RolloutAborted message
 * ("" for kubectl argo rollouts abort). An abort clears the pause
 * conditions (no "resumed") and terminates the analysis runs. */
static void do_abort(struct world *w, const char *why)
{
	struct canary_state *st = &w->prog.canary;

	if (st->aborted)
		return;
	st->aborted = 1;
	st->abort_reported = 0;
	snprintf(st->abort_msg, sizeof(st->abort_msg), "%s", why);
	clear_pause(w, 0);
	stop_runs(w);
}

/* -------------------------------------------------------- analysis */

/* rollout/analysis.go needsNewAnalysisRun: an inconclusive run whose
 * pause a promote removed (controllerPause still set) is run again. */
static int needs_new(const struct canary_state *st,
		     const struct analysis_run *r)
{
	return r->phase == ANALYSIS_INCONCLUSIVE && !st->inconclusive &&
	       st->controller_pause;
}

/* A run's final phase: Failed / Error abort, Inconclusive pauses. */
static int judge(struct world *w, const struct analysis_run *r,
		 const char *kind)
{
	char msg[200];

	if (r->phase == ANALYSIS_FAILED || r->phase == ANALYSIS_ERROR) {
		delivery_detected(w);
		snprintf(msg, sizeof(msg), "%s analysis phase error/failed: %s",
			 kind, r->message);
		do_abort(w, msg);
		return 1;
	}
	if (r->phase == ANALYSIS_INCONCLUSIVE && !w->prog.canary.inconclusive) {
		add_pause(w, 1);
		return 1;
	}
	return 0;
}

/* reconcileAnalysisRuns: the step's run and the background run. */
static int reconcile_analysis(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	const struct canary_config *c = cfg_of(w);
	int in_steps = st->step < c->n_steps, changed = 0;

	if (st->aborted || stable_is_current(w)) {
		stop_runs(w);
		return 0;
	}
	if (in_steps && c->steps[st->step].kind == CANARY_ANALYSIS) {
		if (st->step_run_step != st->step ||
		    needs_new(st, &st->step_run)) {
			analysis_start(w, &st->step_run,
				       &c->analyses[c->steps[st->step].analysis],
				       w->dep.tmpl);
			st->step_run_step = st->step;
		}
		changed = judge(w, &st->step_run, "Step-based");
	} else if (st->step_run_step >= 0) {
		analysis_stop(w, &st->step_run);
		st->step_run_step = -1;
	}
	if (changed || !c->background.enabled ||
	    (in_steps && st->step < c->starting_step))
		return changed;      /* BeforeStartingStep */
	if (!st->bg_started || needs_new(st, &st->bg_run)) {
		analysis_start(w, &st->bg_run, &c->background, w->dep.tmpl);
		st->bg_started = 1;
	}
	return judge(w, &st->bg_run, "Background");
}

/* ------------------------------------------------------ ReplicaSets */

static int scale_to(struct world *w, int32_t rs, int32_t n)
{
	if (w->rs[rs].spec == n)
		return 0;
	deploy_scale_rs(w, rs, n);
	return 1;
}

/* reconcileOtherReplicaSets / scaleDownOldReplicaSetsForCanary */
static int reconcile_others(struct world *w)
{
	struct canary_old old[CANARY_OLD_MAX];
	int32_t idx[CANARY_OLD_MAX], i, n = 0, all_avail = 0, k;
	int changed = 0;

	for (i = 0; i < w->n_rs; i++) {
		if (!w->rs[i].deleted && w->rs[i].owner == 0)
			all_avail += w->rs[i].available;
		if (is_other(w, i) && w->rs[i].spec > 0 && n < CANARY_OLD_MAX) {
			old[n].spec = w->rs[i].spec;
			old[n].available = w->rs[i].available;
			old[n].revision = w->rs[i].revision;
			idx[n++] = i;
		}
	}
	if (n == 0)
		return 0;
	canary_scale_down_old(old, n, w->dep.spec.replicas,
			      canary_max_unavailable(w->dep.spec.replicas,
						     cfg_of(w)->max_surge,
						     cfg_of(w)->max_unavailable),
			      all_avail);
	for (k = 0; k < n; k++)
		changed |= scale_to(w, idx[k], old[k].spec);
	return changed;
}

/* reconcileCanaryReplicaSets: at most one of stable, new, others. */
static int reconcile_rs(struct world *w)
{
	struct canary_calc_in in;
	struct canary_rs nr, sr;
	int32_t newc, stablec, older_avail, s = stable_of(w);

	if (w->dep.spec.paused || w->prog.canary.inconclusive)
		return 0;            /* haltProgress */
	calc_in(w, &in, &nr, &sr, &older_avail);
	canary_basic_counts(&in, &newc, &stablec);
	if (s >= 0 && s != w->dep.new_rs && scale_to(w, s, stablec))
		return 1;
	if (w->dep.new_rs >= 0 && scale_to(w, w->dep.new_rs, newc))
		return 1;
	return reconcile_others(w);
}

/* ------------------------------------------------------------ pause */

/* reconcileCanaryPause: a pause step takes the CanaryPauseStep
 * condition (once: controllerPause) and wakes the controller at its
 * end. */
static int reconcile_pause(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	const struct canary_config *c = cfg_of(w);
	const struct canary_step *s;

	if (w->dep.spec.paused || st->promote_full || st->step >= c->n_steps)
		return 0;
	s = &c->steps[st->step];
	if (s->kind != CANARY_PAUSE)
		return 0;
	if (!st->paused) {
		if (st->controller_pause)
			return 0;
		add_pause(w, 0);
		if (s->pause_ns >= 0)
			st->pause_timer = engine_schedule(
				w->eng, sim_time_add(st->pause_start_ns,
						     s->pause_ns),
				ev_wake, w, 0);
		return 1;
	}
	return 0;
}

/* ----------------------------------------------------------- status */

/* completedCurrentCanaryStep */
static int step_completed(const struct world *w)
{
	const struct canary_state *st = &w->prog.canary;
	const struct canary_config *c = cfg_of(w);
	const struct canary_step *s;
	struct canary_calc_in in;
	struct canary_rs nr, sr;
	int32_t older_avail;

	if (w->dep.spec.paused || st->step >= c->n_steps)
		return 0;
	s = &c->steps[st->step];
	switch (s->kind) {
	case CANARY_PAUSE:
		if (st->controller_pause && !st->paused)
			return 1;    /* promoted */
		return s->pause_ns >= 0 && st->paused &&
		       engine_now(w->eng) >=
			       sim_time_add(st->pause_start_ns, s->pause_ns);
	case CANARY_SET_WEIGHT:
		calc_in(w, &in, &nr, &sr, &older_avail);
		return canary_at_desired(&in, older_avail);
	case CANARY_ANALYSIS:
	default:
		return st->step_run_step == st->step &&
		       st->step_run.phase == ANALYSIS_SUCCESSFUL;
	}
}

/* shouldFullPromote for the canary ("" when not yet). */
static const char *full_promote_reason(const struct world *w, char *buf,
				       size_t n)
{
	const struct canary_state *st = &w->prog.canary;
	int32_t nr = w->dep.new_rs;

	if (stable_of(w) < 0)
		return "Initial deploy";
	if (st->aborted || nr < 0 ||
	    w->rs[nr].available != w->dep.spec.replicas)
		return NULL;
	if (st->promote_full)
		return "Full promotion requested";
	if (n_steps(w) == 0 || st->step == n_steps(w)) {
		snprintf(buf, n, "Completed all %d canary steps", n_steps(w));
		return buf;
	}
	return NULL;
}

/* promoteStable: 1 when the stable ReplicaSet changed. */
static int promote_stable(struct world *w, const char *reason)
{
	struct canary_state *st = &w->prog.canary;
	char msg[RS_NAME_MAX + 160];
	int32_t nr = w->dep.new_rs;

	clear_pause(w, 0);
	st->aborted = 0;
	st->promote_full = 0;
	st->step = n_steps(w);
	if (nr < 0 || stable_of(w) == nr)
		return 0;
	st->stable_rs = nr;
	if (w->rs[nr].tmpl != w->prog.base_tmpl)
		delivery_promoted(w);   /* the new version took all traffic */
	snprintf(msg, sizeof(msg),
		 "Rollout completed update to revision %d (%s): %s",
		 (int)w->rs[nr].revision, pod_hash(w, nr), reason);
	emit(w, "Normal", "RolloutCompleted", msg);
	return 1;
}

/* The abort's condition and event (calculateRolloutConditions): once. */
static int abort_status(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	int32_t nr = w->dep.new_rs;
	char msg[260];

	st->step = stable_is_current(w) ? n_steps(w) : 0;
	if (nr >= 0 && w->rs[nr].spec == 0 && w->rs[nr].active == 0)
		delivery_rolled_back(w);   /* no canary pod left */
	if (st->abort_reported)
		return 0;
	st->abort_reported = 1;
	if (st->abort_msg[0])
		snprintf(msg, sizeof(msg), "Rollout aborted update to revision "
			 "%d: %s", (int)w->dep.revision, st->abort_msg);
	else
		snprintf(msg, sizeof(msg), "Rollout aborted update to revision "
			 "%d", (int)w->dep.revision);
	emit(w, "Warning", "RolloutAborted", msg);
	return 1;
}

/* syncRolloutStatusCanary */
static int sync_status(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	char buf[64], msg[160], sbuf[48];
	const char *reason;

	if (st->promote_full) {
		clear_pause(w, 0);
		st->aborted = 0;
		st->step = n_steps(w);
	}
	reason = full_promote_reason(w, buf, sizeof(buf));
	if (reason)
		return promote_stable(w, reason);
	if (st->aborted)
		return abort_status(w);
	if (!step_completed(w))
		return 0;
	canary_step_string(&cfg_of(w)->steps[st->step], sbuf, sizeof(sbuf));
	st->step++;
	snprintf(msg, sizeof(msg), "Rollout step %d/%d completed (%s)",
		 (int)st->step, n_steps(w), sbuf);
	emit(w, "Normal", "RolloutStepCompleted", msg);
	clear_pause(w, 1);
	return 1;
}

/* -------------------------------------------------------- the pass */

/* resetRolloutStatus on a new template (PodTemplateOrStepsChanged); back
 * to the stable template skips the steps ("Rollback to stable
 * ReplicaSets"). */
static void template_changed(struct world *w)
{
	struct canary_state *st = &w->prog.canary;

	st->cur_tmpl = w->dep.tmpl;
	clear_pause(w, 0);
	st->controller_pause = 0;
	st->aborted = 0;
	st->abort_reported = 0;
	st->promote_full = 0;
	st->step = 0;
	stop_runs(w);
	if (n_steps(w) > 0 && stable_is_current(w)) {
		emit(w, "Normal", "SkipSteps", "Rollback to stable ReplicaSets");
		st->step = n_steps(w);
	}
}

/* spec.progressDeadlineAbort: abort once the Deployment machinery has
 * judged ProgressDeadlineExceeded, not while paused; a wake-up is kept
 * 1 s after the deadline would pass so that the judgement is read. */
static int deadline_abort(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	const struct deploy_state *d = &w->dep;

	if (!cfg_of(w)->progress_deadline_abort || st->aborted ||
	    d->spec.progress_deadline_ns <= 0 ||
	    d->spec.progress_deadline_ns == DEPLOY_NO_DEADLINE_NS ||
	    d->spec.paused || st->paused || st->inconclusive ||
	    stable_is_current(w))
		return 0;
	if (d->progress == PROGRESS_DEADLINE_EXCEEDED) {
		do_abort(w, "");
		return 1;
	}
	engine_cancel(w->eng, st->deadline_timer);
	st->deadline_timer = engine_schedule(
		w->eng, sim_time_add(d->progress_update_ns,
				     sim_time_add(d->spec.progress_deadline_ns,
						  SIM_NS_PER_S + 1)),
		ev_wake, w, 1);
	return 0;
}

/* One rolloutCanary: the status is synced after the ReplicaSets even
 * when one of them changed, as upstream. */
static int canary_pass(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	char msg[RS_NAME_MAX + 48];
	int changed, inconclusive = st->inconclusive;

	if (deploy_sync_new_rs(w) < 0) {
		if (!deploy_create_new_rs(w, 0))
			return 0;
		snprintf(msg, sizeof(msg), "Created ReplicaSet %s (revision %d)",
			 w->rs[w->dep.new_rs].name,
			 (int)w->rs[w->dep.new_rs].revision);
		emit(w, "Normal", "NewReplicaSetCreated", msg);
		return 1;
	}
	changed = deadline_abort(w);
	changed |= reconcile_analysis(w);
	if (inconclusive || !st->inconclusive) {   /* no pause just added */
		int scaled = reconcile_rs(w);

		changed |= scaled;
		if (!scaled)
			changed |= reconcile_pause(w);
	}
	return sync_status(w) | changed;
}

int canary_once(struct world *w)
{
	struct canary_state *st = &w->prog.canary;
	int changed;

	if (w->error)
		return 0;
	if (w->dep.tmpl != st->cur_tmpl) {
		template_changed(w);
		return 1;
	}
	changed = canary_pass(w);
	if (!st->paused && !st->inconclusive)
		st->controller_pause = 0;   /* persisted without conditions */
	return changed;
}

void canary_init(struct world *w)
{
	struct canary_state *st = &w->prog.canary;

	st->stable_rs = -1;
	st->step = 0;
	st->step_run_step = -1;
	st->cur_tmpl = w->dep.tmpl;
}

/* RolloutHealthy-like: the current template's ReplicaSet is stable, the
 * steps are done, and it alone holds spec.replicas pods, all available. */
int canary_complete(const struct world *w)
{
	const struct canary_state *st = &w->prog.canary;
	int32_t nr = w->dep.new_rs, i, active = 0, r = w->dep.spec.replicas;

	if (nr < 0 || stable_of(w) != nr || st->aborted ||
	    st->step < n_steps(w))
		return 0;
	for (i = 0; i < w->n_rs; i++)
		if (!w->rs[i].deleted && w->rs[i].owner == 0)
			active += w->rs[i].active;
	return active == r && w->rs[nr].active == r &&
	       w->rs[nr].available == r;
}

/* kubectl argo rollouts promote [--full] (promote.go getPatches). */
void canary_promote(struct world *w, int full)
{
	struct canary_state *st = &w->prog.canary;

	if (full) {
		if (!stable_is_current(w))
			st->promote_full = 1;
	} else if (st->inconclusive && st->step_run_step == st->step &&
		   st->step_run.phase == ANALYSIS_INCONCLUSIVE &&
		   st->controller_pause) {
		clear_pause(w, 0);   /* clearPauseConditionsAndController- */
		st->controller_pause = 0;   /* PausePatch */
		if (st->step < n_steps(w))
			st->step++;
	} else if (st->paused || st->inconclusive) {
		clear_pause(w, 0);   /* clearPauseConditionsPatch */
	} else if (n_steps(w) > 0 && st->step < n_steps(w)) {
		st->step++;          /* clearPauseConditionsPatchWithStep */
	}
	if (w->dep.spec.paused)
		deploy_pause(w, 0);  /* unpausePatch */
	deploy_request_sync(w);
}

/* kubectl argo rollouts abort: {"status":{"abort":true}} */
void canary_abort(struct world *w)
{
	do_abort(w, "");
	deploy_request_sync(w);
}

/* kubectl argo rollouts retry: {"status":{"abort":false}}; the steps
 * start again from currentStepIndex (0 after the abort). */
void canary_retry(struct world *w)
{
	struct canary_state *st = &w->prog.canary;

	st->aborted = 0;
	st->abort_reported = 0;
	st->abort_msg[0] = '\0';
	deploy_request_sync(w);
}

void canary_sides(const struct world *w, struct prog_sides *s)
{
	int32_t nr = w->dep.new_rs;

	s->stable_role = "stable";
	s->canary_role = "canary";
	s->stable_rs = stable_of(w);
	s->canary_rs = nr >= 0 && nr != s->stable_rs ? nr : -1;
	s->weight = s->canary_rs >= 0 ? weight_of(w) : 0;
}
