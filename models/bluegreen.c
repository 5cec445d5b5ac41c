/* bluegreen.c - Argo Rollouts' blueGreen strategy (argo-rollouts
 * rollout/bluegreen.go rolloutBlueGreen, rollout/service.go,
 * rollout/replicaset.go, rollout/pause.go, rollout/analysis.go,
 * utils/replicaset/bluegreen.go and replicaset.go NewRSNewReplicas).
 *
 * Each call of bluegreen_once is one reconcile in upstream's order: the
 * ReplicaSets (the active one kept at spec.replicas, the new one at
 * NewRSNewReplicas, old ones scaled down once their scale-down deadline
 * passed), the preview Service, the analysis runs, the BlueGreenPause,
 * the active Service (route_set_active: users reach only its template)
 * and the status (stableRS, scaleUpPreviewCheckPoint). A scale ends the
 * reconcile (the write requeues the Rollout); so does a status change,
 * which upstream's informer brings back at once. The run starts from a
 * Rollout at rest: its first ReplicaSet is stable and active from its
 * creation. docs/progressive.md §2 gives each rule and where rollsim
 * departs.
 */
#include <stdio.h>
#include <string.h>

#include "world_impl.h"

static const struct bluegreen_config *bgc(const struct world *w)
{
	return &w->dep.spec.prog.bg;
}

/* rollouts-pod-template-hash: the ReplicaSet name's last part. */
static const char *rs_hash(const struct world *w, int32_t rs)
{
	const char *dash;

	if (rs < 0)
		return "";
	dash = strrchr(w->rs[rs].name, '-');
	return dash ? dash + 1 : w->rs[rs].name;
}

static const char *rollout_obj(const struct world *w, char *buf, size_t n)
{
	snprintf(buf, n, "rollout/%s", w->dep.spec.name);
	return buf;
}

static void ev_wake(void *ctx, uint64_t arg)
{
	(void)arg;
	deploy_request_sync(ctx);
}

/* enqueueRolloutAfter: a sync at t. */
static void wake_at(struct world *w, sim_time_t t)
{
	engine_schedule(w->eng, t, ev_wake, w, 0);
}

/* ------------------------------------------ scale-down-deadline notes */

static int delay_find(const struct bg_state *b, int32_t rs)
{
	int32_t i;

	for (i = 0; i < b->n_delays; i++)
		if (b->delays[i].rs == rs)
			return (int)i;
	return -1;
}

static void delay_remove(struct bg_state *b, int32_t rs)
{
	int i = delay_find(b, rs);

	if (i >= 0)
		b->delays[i] = b->delays[--b->n_delays];
}

/* addScaleDownDelay: a deadline of now + delay (0: none, the ReplicaSet
 * goes down at the next reconcile). More than BG_DELAYS_MAX waiting at
 * once: the extra one gets none. */
static void delay_add(struct world *w, int32_t rs, sim_time_t delay_ns)
{
	struct bg_state *b = &w->prog.bg;
	sim_time_t at = sim_time_add(engine_now(w->eng), delay_ns);

	delay_remove(b, rs);
	if (delay_ns <= 0 || b->n_delays == BG_DELAYS_MAX)
		return;
	b->delays[b->n_delays].rs = rs;
	b->delays[b->n_delays++].at_ns = at;
	wake_at(w, at);
}

/* ------------------------------------------------------------- rules */

/* NewRSNewReplicas (utils/replicaset/replicaset.go) for blueGreen. */
static int32_t new_rs_replicas(const struct world *w, int32_t nr)
{
	const struct bg_state *b = &w->prog.bg;
	int32_t n = w->dep.spec.replicas;

	if (bgc(w)->preview_replicas < 0 || b->active_rs < 0 ||
	    b->active_rs == nr || b->promote_full)
		return n;
	if (!w->dep.spec.paused && !b->paused && !b->inconclusive &&
	    b->checkpoint)
		return n;
	return bgc(w)->preview_replicas;
}

/* utils/replicaset/bluegreen.go ReadyForPause. */
static int ready_for_pause(const struct world *w, int32_t nr)
{
	int32_t want = new_rs_replicas(w, nr);

	return w->rs[nr].spec == want && w->rs[nr].available == want;
}

/* utils/annotations IsSaturated. */
static int saturated(const struct world *w, int32_t nr)
{
	int32_t n = w->dep.spec.replicas;

	return w->rs[nr].spec == n && w->rs[nr].desired_annot == n &&
	       w->rs[nr].available >= n;
}

/* rollout/bluegreen.go needsBlueGreenControllerPause. */
static int needs_pause(const struct world *w)
{
	return !bgc(w)->auto_promotion || bgc(w)->auto_promotion_ns > 0;
}

/* rollout/analysis.go completedPrePromotionAnalysis. */
static int completed_pre(const struct world *w)
{
	return !bgc(w)->pre.enabled ||
	       w->prog.bg.pre.phase == ANALYSIS_SUCCESSFUL;
}

/* rollout/pause.go CompletedBlueGreenPause; added: the pause was added
 * in this reconcile. The end of autoPromotionSeconds counts at the
 * instant it is reached (upstream: now.After, a reconcile later); a
 * promote during autoPromotionSeconds completes the pause (upstream
 * reads the removed condition as "never paused", docs §6). */
static int completed_pause(const struct world *w, int added)
{
	const struct bg_state *b = &w->prog.bg;

	if (added)
		return 0;
	if (b->checkpoint || !needs_pause(w))
		return 1;
	if (bgc(w)->auto_promotion) {
		if (bgc(w)->auto_promotion_ns == 0)
			return 1;
		if (!b->paused)          /* removed by a promote */
			return b->ctrl_pause;
		return engine_now(w->eng) >=
		       sim_time_add(b->pause_start_ns,
				    bgc(w)->auto_promotion_ns);
	}
	return b->ctrl_pause && !b->paused;
}

/* rollout/bluegreen.go isBlueGreenFastTracked. */
static int fast_tracked(const struct world *w, int32_t nr)
{
	const struct bg_state *b = &w->prog.bg;

	return delay_find(b, nr) >= 0 || b->promote_full || b->active_rs < 0 ||
	       b->active_rs == nr;
}

/* rollout/service.go switchServiceSelector: the event, and for the
 * active Service the users' routing. */
static int switch_selector(struct world *w, int active, int32_t rs)
{
	struct bg_state *b = &w->prog.bg;
	int32_t *cur = active ? &b->active_rs : &b->preview_rs;
	char obj[DEPLOY_NAME_MAX + 16];

	if (*cur == rs || rs < 0)
		return 0;
	bus_emit(w, "Normal", "SwitchService", rollout_obj(w, obj, sizeof(obj)),
		 "Switched selector for service '%s' from '%s' to '%s'",
		 active ? bgc(w)->active_service : bgc(w)->preview_service,
		 rs_hash(w, *cur), rs_hash(w, rs));
	*cur = rs;
	if (active)
		route_set_active(w, w->rs[rs].tmpl);
	return 1;
}

/* The run's abort (status.abort) with the Warning event of
 * calculateRolloutConditions: "Rollout aborted update to revision N"
 * and, when an analysis decided it, ": " and why. */
static void abort_now(struct world *w, const char *why)
{
	struct bg_state *b = &w->prog.bg;
	char obj[DEPLOY_NAME_MAX + 16];

	b->aborted = 1;
	b->paused = b->inconclusive = b->ctrl_pause = 0;
	b->abort_at_ns = -1;
	analysis_stop(w, &b->pre);
	analysis_stop(w, &b->post);
	rollout_obj(w, obj, sizeof(obj));
	if (why)
		bus_emit(w, "Warning", "RolloutAborted", obj,
			 "Rollout aborted update to revision %d: %s",
			 w->dep.revision, why);
	else
		bus_emit(w, "Warning", "RolloutAborted", obj,
			 "Rollout aborted update to revision %d",
			 w->dep.revision);
}

/* ------------------------------------------------------ ReplicaSets */

/* reconcileStableReplicaSet: the active ReplicaSet at spec.replicas,
 * its own deadline dropped. */
static int scale_active(struct world *w)
{
	struct bg_state *b = &w->prog.bg;
	int32_t a = b->active_rs;

	if (a < 0)
		return 0;
	delay_remove(b, a);
	if (w->rs[a].spec == w->dep.spec.replicas)
		return 0;
	deploy_scale_rs(w, a, w->dep.spec.replicas);
	return 1;
}

/* reconcileNewReplicaSet, with shouldDelayScaleDownOnAbort: after an
 * abort the new ReplicaSet stays up until abortScaleDownDelaySeconds
 * after the stable one is fully available again (0: for good). */
static int scale_new(struct world *w, int32_t nr)
{
	struct bg_state *b = &w->prog.bg;
	int32_t want = new_rs_replicas(w, nr);
	sim_time_t now = engine_now(w->eng);

	if (b->aborted && b->stable_rs >= 0 && b->stable_rs != nr &&
	    bgc(w)->abort_scale_down_delay_ns > 0) {
		if (b->abort_at_ns < 0) {
			if (w->rs[b->stable_rs].available !=
			    w->dep.spec.replicas)
				return 0;
			b->abort_at_ns = sim_time_add(
				now, bgc(w)->abort_scale_down_delay_ns);
			wake_at(w, b->abort_at_ns);
			return 0;
		}
		if (b->abort_at_ns > now)
			return 0;
		want = 0;
	}
	if (w->rs[nr].spec == want)
		return 0;
	deploy_scale_rs(w, nr, want);
	return 1;
}

/* The post-promotion analysis is under way (skipPostPromotionAnalysisRun
 * false). */
static int post_due(const struct world *w, int32_t nr)
{
	const struct bg_state *b = &w->prog.bg;

	return b->stable_rs != nr && b->active_rs == nr && saturated(w, nr);
}

/* scaleDownOldReplicaSetsForBlueGreen over the ReplicaSets that are
 * neither the new nor the stable one: each waits for its scale-down
 * deadline (kept at spec.replicas until then), then goes to 0; none
 * while an inconclusive analysis holds the rollout, nor while the
 * post-promotion analysis runs without an explicit scaleDownDelaySeconds. */
static int scale_others(struct world *w, int32_t nr)
{
	struct bg_state *b = &w->prog.bg;
	sim_time_t now = engine_now(w->eng);
	int32_t i;
	int k, scaled = 0;

	if (b->inconclusive)
		return 0;
	if (bgc(w)->post.enabled && !bgc(w)->scale_down_delay_set &&
	    post_due(w, nr) && b->post.phase != ANALYSIS_SUCCESSFUL)
		return 0;
	for (i = w->n_rs - 1; i >= 0; i--) {
		int32_t want = 0;

		if (i == nr || i == b->stable_rs || w->rs[i].deleted)
			continue;
		k = delay_find(b, i);
		if (k >= 0 && b->delays[k].at_ns > now)
			want = w->dep.spec.replicas;
		if (w->rs[i].spec == want)
			continue;
		deploy_scale_rs(w, i, want);
		scaled = 1;
	}
	return scaled;
}

/* -------------------------------------------------- analysis runs */

/* setPauseOrAbort: a run's final phase, read by the reconcile. */
static int analysis_verdict(struct world *w, struct analysis_run *r,
			    const char *kind)
{
	char why[240];

	if (r->phase == ANALYSIS_INCONCLUSIVE && !w->prog.bg.inconclusive) {
		w->prog.bg.inconclusive = 1;
		return 1;
	}
	if (r->phase != ANALYSIS_FAILED && r->phase != ANALYSIS_ERROR)
		return 0;
	snprintf(why, sizeof(why),
		 "Blue/green %s-promotion analysis phase error/failed: %s",
		 kind, r->message);
	abort_now(w, why);
	return 1;
}

/* reconcilePrePromotionAnalysisRun: a run over the new template from
 * the moment the new ReplicaSet is saturated (at previewReplicaCount
 * when set) until the switch; none when the update is fast-tracked. */
static int pre_due(const struct world *w, int32_t nr)
{
	const struct bg_state *b = &w->prog.bg;
	int32_t p = bgc(w)->preview_replicas;

	if (b->stable_rs == nr || b->active_rs < 0 || b->active_rs == nr)
		return 0;
	if (p >= 0)
		return w->rs[nr].spec == p && w->rs[nr].available == p;
	return saturated(w, nr);
}

/* One kind of run (pre or post): started when due and not yet run,
 * terminated when no longer due, its verdict read. */
static int reconcile_run(struct world *w, struct analysis_run *r,
			 const struct analysis_config *cfg, int due,
			 int32_t nr, const char *kind)
{
	if (!cfg->enabled)
		return 0;
	if (!due) {
		analysis_stop(w, r);
		return 0;
	}
	if (w->prog.bg.inconclusive)
		return 0;
	if (r->phase == ANALYSIS_NONE) {
		analysis_start(w, r, cfg, w->rs[nr].tmpl);
		if (r->phase == ANALYSIS_RUNNING)
			return 1;
	}
	return analysis_verdict(w, r, kind);
}

/* reconcileAnalysisRuns: nothing while aborted, on promote --full or a
 * rollback into a ReplicaSet still within its scale-down delay. */
static int reconcile_analyses(struct world *w, int32_t nr)
{
	struct bg_state *b = &w->prog.bg;

	if (b->aborted || b->promote_full || delay_find(b, nr) >= 0 ||
	    b->stable_rs < 0) {
		analysis_stop(w, &b->pre);
		analysis_stop(w, &b->post);
		return 0;
	}
	if (reconcile_run(w, &b->pre, &bgc(w)->pre, pre_due(w, nr), nr,
			  "pre"))
		return 1;
	return reconcile_run(w, &b->post, &bgc(w)->post, post_due(w, nr), nr,
			     "post");
}

/* ------------------------------------------------- pause and switch */

/* reconcileBlueGreenPause; *added: the pause was added now. */
static int reconcile_pause(struct world *w, int32_t nr, int *added)
{
	struct bg_state *b = &w->prog.bg;

	*added = 0;
	if (b->aborted || !ready_for_pause(w, nr) || w->dep.spec.paused)
		return 0;
	if (fast_tracked(w, nr) || b->checkpoint || !needs_pause(w)) {
		if (!b->paused)
			return 0;
		b->paused = 0;
		return 1;
	}
	if (!completed_pre(w))
		return 0;
	if (!b->paused && !b->ctrl_pause) {
		b->paused = b->ctrl_pause = 1;
		b->pause_start_ns = engine_now(w->eng);
		if (bgc(w)->auto_promotion && bgc(w)->auto_promotion_ns > 0)
			wake_at(w, sim_time_add(b->pause_start_ns,
						bgc(w)->auto_promotion_ns));
		*added = 1;
		return 1;
	}
	return 0;
}

/* reconcileActiveService: once the new ReplicaSet is ready and
 * saturated, to it when fast-tracked or when the pause and the
 * pre-promotion analysis are done; back to the stable one on abort.
 * A pause that completed is removed as the switch is made. */
static int reconcile_active(struct world *w, int32_t nr, int added)
{
	struct bg_state *b = &w->prog.bg;
	int32_t target = b->active_rs;
	int done;

	if (w->dep.spec.paused || !ready_for_pause(w, nr) || !saturated(w, nr))
		return 0;
	done = completed_pause(w, added) && completed_pre(w);
	if (fast_tracked(w, nr) || done)
		target = nr;
	if (b->aborted)
		target = b->stable_rs;
	if (done && b->paused && !b->aborted)
		b->paused = 0;
	return switch_selector(w, 1, target);
}

/* ------------------------------------------------------------ status */

/* shouldUpdateBlueGreenStable: the active Service is on the new
 * ReplicaSet and the post-promotion analysis (if any) succeeded. */
static int stable_due(const struct world *w, int32_t nr)
{
	const struct bg_state *b = &w->prog.bg;

	if (b->stable_rs == nr || b->aborted)
		return 0;
	if (b->active_rs != nr)
		return 0;
	if (b->promote_full || !bgc(w)->post.enabled ||
	    delay_find(b, nr) >= 0)
		return 1;
	return b->post.phase == ANALYSIS_SUCCESSFUL;
}

/* syncRolloutStatusBlueGreen: the new ReplicaSet becomes the stable one
 * ("Rollout completed update to revision N (hash): Completed blue-green
 * update") and the previous stable one gets its scale-down deadline;
 * then calculateScaleUpPreviewCheckPoint. */
static int sync_status(struct world *w, int32_t nr, int added)
{
	struct bg_state *b = &w->prog.bg;
	char obj[DEPLOY_NAME_MAX + 16];
	int changed = 0, cp;

	if (stable_due(w, nr)) {
		int32_t old = b->stable_rs;

		b->stable_rs = nr;
		b->promote_full = 0;
		if (old >= 0 && w->rs[old].spec > 0)
			delay_add(w, old, bgc(w)->scale_down_delay_ns);
		bus_emit(w, "Normal", "RolloutCompleted",
			 rollout_obj(w, obj, sizeof(obj)),
			 "Rollout completed update to revision %d (%s): "
			 "Completed blue-green update", w->rs[nr].revision,
			 rs_hash(w, nr));
		changed = 1;
	}
	if (bgc(w)->preview_replicas < 0 || b->stable_rs == nr)
		cp = 0;
	else if (b->checkpoint)
		cp = 1;
	else
		cp = completed_pre(w) && completed_pause(w, added) &&
		     w->rs[nr].available == bgc(w)->preview_replicas;
	if (cp != b->checkpoint) {
		b->checkpoint = cp;
		changed = 1;
	}
	return changed;
}

/* A new pod template (reconcileBlueGreenTemplateChange and
 * CheckPodSpecChange): pauses, abort, promoteFull, the checkpoint and
 * the analysis runs of the previous one are cleared. */
static void template_changed(struct world *w)
{
	struct bg_state *b = &w->prog.bg;

	b->cur_tmpl = w->dep.tmpl;
	b->aborted = b->paused = b->inconclusive = b->ctrl_pause = 0;
	b->checkpoint = b->promote_full = 0;
	b->abort_at_ns = -1;
	analysis_stop(w, &b->pre);
	analysis_stop(w, &b->post);
	b->pre.phase = b->post.phase = ANALYSIS_NONE;
}

/* ------------------------------------------------------ entry points */

void bluegreen_init(struct world *w)
{
	struct bg_state *b = &w->prog.bg;

	b->active_rs = b->preview_rs = b->stable_rs = -1;
	b->cur_tmpl = w->dep.tmpl;
	b->abort_at_ns = -1;
	b->pre.slot = b->post.slot = -1;
	route_set_active(w, w->dep.tmpl);
}

/* No ReplicaSet of the current template yet: created at 0 (the first
 * one of the run is the stable and active one at once). */
static int create_new(struct world *w)
{
	struct bg_state *b = &w->prog.bg;

	if (!deploy_create_new_rs(w, 0))
		return 0;
	if (b->stable_rs < 0) {
		b->stable_rs = b->active_rs = b->preview_rs = w->dep.new_rs;
		route_set_active(w, w->rs[w->dep.new_rs].tmpl);
	}
	return 1;
}

int bluegreen_once(struct world *w)
{
	struct bg_state *b = &w->prog.bg;
	int32_t nr = deploy_sync_new_rs(w);
	int changed = 0, added;

	if (b->cur_tmpl != w->dep.tmpl) {
		template_changed(w);
		changed = 1;
	}
	if (nr < 0)
		return create_new(w);
	changed |= scale_active(w);
	changed |= scale_new(w, nr);
	changed |= scale_others(w, nr);
	if (!w->dep.spec.paused)
		changed |= switch_selector(w, 0, nr);
	changed |= reconcile_analyses(w, nr);
	changed |= reconcile_pause(w, nr, &added);
	changed |= reconcile_active(w, nr, added);
	changed |= sync_status(w, nr, added);
	b->ctrl_pause = b->paused || b->inconclusive;
	return changed;
}

/* The switch is made and the new ReplicaSet is the stable one: every
 * user reaches it (after the endpoints' propagation) and nothing is
 * left to judge. The old ReplicaSet's scale-down delay is not waited
 * for. */
int bluegreen_complete(const struct world *w)
{
	const struct bg_state *b = &w->prog.bg;
	int32_t nr = w->dep.new_rs;

	return nr >= 0 && b->active_rs == nr && b->stable_rs == nr &&
	       !b->aborted;
}

/* kubectl argo rollouts promote: clears the pause conditions (and
 * spec.paused); an inconclusive run is run again (needsNewAnalysisRun).
 * --full sets status.promoteFull, which clears the pauses and the abort
 * (syncRolloutStatusBlueGreen) and skips the pause, the analyses and
 * previewReplicaCount. */
void bluegreen_promote(struct world *w, int full)
{
	struct bg_state *b = &w->prog.bg;

	if (full) {
		if (w->dep.new_rs < 0 || w->dep.new_rs == b->stable_rs)
			return;
		b->promote_full = 1;
		b->paused = b->inconclusive = b->aborted = 0;
		b->abort_at_ns = -1;
	} else {
		b->paused = 0;
		b->inconclusive = 0;
		if (b->pre.phase == ANALYSIS_INCONCLUSIVE)
			b->pre.phase = ANALYSIS_NONE;
		if (b->post.phase == ANALYSIS_INCONCLUSIVE)
			b->post.phase = ANALYSIS_NONE;
		if (w->dep.spec.paused)
			deploy_pause(w, 0);
	}
	deploy_request_sync(w);
}

/* kubectl argo rollouts abort (status.abort = true). */
void bluegreen_abort(struct world *w)
{
	struct bg_state *b = &w->prog.bg;

	if (b->aborted || w->dep.new_rs < 0 || w->dep.new_rs == b->stable_rs)
		return;
	abort_now(w, NULL);
	deploy_request_sync(w);
}

/* kubectl argo rollouts retry rollout (status.abort = false): the
 * update starts over with new analysis runs. */
void bluegreen_retry(struct world *w)
{
	struct bg_state *b = &w->prog.bg;

	if (!b->aborted)
		return;
	b->aborted = 0;
	b->abort_at_ns = -1;
	b->checkpoint = 0;
	b->pre.phase = b->post.phase = ANALYSIS_NONE;
	deploy_request_sync(w);
}

void bluegreen_sides(const struct world *w, struct prog_sides *s)
{
	const struct bg_state *b = &w->prog.bg;
	int32_t nr = w->dep.new_rs;

	s->stable_role = "active";
	s->canary_role = "preview";
	s->stable_rs = b->active_rs;
	s->canary_rs = nr >= 0 && nr != b->stable_rs ? nr : -1;
	s->weight = nr >= 0 && b->active_rs == nr && w->rs[nr].revision > 1
			    ? 100 : 0;
}
