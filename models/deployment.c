/* deployment.c - the Deployment controller (docs/kubernetes.md §1, §2,
 * §3, §5, §7, §8; "§N" below is a section of that page).
 *
 * A sync runs as an engine event, requested whenever the Deployment, one
 * of its ReplicaSets or one of their pods changes; requests made while one
 * is pending merge into it, as the controller's work queue does. One sync
 * repeats the strategy's single step (either scale the new ReplicaSet or
 * scale old ones down, §2.2) until nothing changes: upstream the write of
 * each step requeues the Deployment within milliseconds, and controllers
 * here react instantly. Then the status and conditions are recomputed.
 * The arithmetic of a step, without a world, is deployment_step.c.
 * ReplicaSets with owner 1 belong to Flagger's primary Deployment
 * (flagger.c), not to this one: every loop here skips them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "canary_step.h"
#include "decide.h"
#include "deployment.h"
#include "world_impl.h"

/* ---------------------------------------------------------------- live */

/* A ReplicaSet of this Deployment that still exists (not removed by the
 * history cleanup, not Flagger's primary's). */
static int rs_ours(const struct replicaset *r)
{
	return !r->deleted && !r->owner;
}

static const char *deploy_object(const struct world *w, char *buf, size_t n)
{
	snprintf(buf, n, "deployment/%s", w->dep.spec.name);
	return buf;
}

/* Argo's canary resolves its bounds its own way (canary_step.c); the
 * other progressive strategies have none: blueGreen keeps every pod of
 * both sides, Flagger's Deployments roll on their own. */
int32_t deploy_surge(const struct world *w)
{
	const struct deploy_config *d = &w->dep.spec;

	if (d->strategy == STRATEGY_CANARY)
		return canary_max_surge(d->replicas, d->prog.canary.max_surge,
					d->prog.canary.max_unavailable);
	return deploy_max_surge(d->strategy, d->replicas, d->max_surge,
				d->max_unavailable);
}

int32_t deploy_unavailable(const struct world *w)
{
	const struct deploy_config *d = &w->dep.spec;

	if (d->strategy == STRATEGY_CANARY)
		return canary_max_unavailable(d->replicas,
					      d->prog.canary.max_surge,
					      d->prog.canary.max_unavailable);
	return deploy_max_unavailable(d->strategy, d->replicas, d->max_surge,
				      d->max_unavailable);
}

/* deployment_util.go HasProgressDeadline: set and not MaxInt32. */
static int has_deadline(const struct world *w)
{
	sim_time_t d = w->dep.spec.progress_deadline_ns;

	return d > 0 && d != DEPLOY_NO_DEADLINE_NS;
}

const char *deploy_rs_name(const struct world *w, int32_t rs)
{
	return rs >= 0 && rs < w->n_rs ? w->rs[rs].name : "";
}

static const char *const progress_reason_names[] = {
	"", "NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated",
	"NewReplicaSetAvailable", "ProgressDeadlineExceeded",
	"DeploymentPaused", "DeploymentResumed"
};
static const char *const progress_status_names[] = {
	"", "True", "True", "True", "True", "False", "Unknown", "Unknown"
};
static const char *const progress_texts[] = {
	"", "True NewReplicaSetCreated", "True FoundNewReplicaSet",
	"True ReplicaSetUpdated", "True NewReplicaSetAvailable",
	"False ProgressDeadlineExceeded", "Unknown DeploymentPaused",
	"Unknown DeploymentResumed"
};

const char *deploy_progress_text(const struct world *w)
{
	return progress_texts[w->dep.progress];
}

/* The message upstream gives the condition of reason r. */
static void progress_message(const struct world *w, enum progress_reason r,
			     char *msg, size_t n)
{
	const char *rs = deploy_rs_name(w, w->dep.new_rs);

	switch (r) {
	case PROGRESS_NEW_RS_CREATED:
		snprintf(msg, n, "Created new replica set \"%s\"", rs);
		break;
	case PROGRESS_FOUND_NEW_RS:
		snprintf(msg, n, "Found new replica set \"%s\"", rs);
		break;
	case PROGRESS_RS_UPDATED:
		snprintf(msg, n, "ReplicaSet \"%s\" is progressing.", rs);
		break;
	case PROGRESS_NEW_RS_AVAILABLE:
		snprintf(msg, n,
			 "ReplicaSet \"%s\" has successfully progressed.",
			 rs);
		break;
	case PROGRESS_DEADLINE_EXCEEDED:
		snprintf(msg, n, "ReplicaSet \"%s\" has timed out progressing.",
			 rs);
		break;
	case PROGRESS_PAUSED:
		snprintf(msg, n, "Deployment is paused");
		break;
	case PROGRESS_RESUMED:
		snprintf(msg, n, "Deployment is resumed");
		break;
	default:
		msg[0] = '\0';
	}
}

/* Sets the Progressing condition and reports a change. As upstream's
 * SetDeploymentCondition, a condition with the same status and reason is
 * kept as it is, lastUpdateTime included; only ReplicaSetUpdated is
 * replaced to refresh it (progress.go syncRolloutStatus). PROGRESS_NONE
 * removes the condition (no progress deadline, HasProgressDeadline). */
static void set_progress(struct world *w, enum progress_reason r)
{
	char obj[DEPLOY_NAME_MAX + 16], msg[RS_NAME_MAX + 64];

	if (w->dep.progress == r) {
		if (r == PROGRESS_RS_UPDATED)
			w->dep.progress_update_ns = engine_now(w->eng);
		return;
	}
	w->dep.progress = r;
	w->dep.progress_update_ns = engine_now(w->eng);
	deploy_object(w, obj, sizeof(obj));
	if (r == PROGRESS_NONE) {
		bus_emit(w, "Status", "Progressing", obj, "removed: no "
			 "progress deadline (progressDeadlineSeconds "
			 "2147483647)");
		return;
	}
	progress_message(w, r, msg, sizeof(msg));
	bus_emit(w, "Status", "Progressing", obj, "%s %s: %s",
		 progress_status_names[r], progress_reason_names[r], msg);
}

/* Scale a ReplicaSet; every scale rewrites its desired-replicas and
 * max-replicas annotations (SetReplicasAnnotations). */
void deploy_scale_rs(struct world *w, int32_t rs, int32_t replicas)
{
	const struct deploy_config *d = &w->dep.spec;

	rs_scale(w, rs, replicas, d->replicas,
		 deploy_max_total(d->replicas, deploy_surge(w)));
}

/* §2.3 FindNewReplicaSet: the oldest ReplicaSet whose template equals the
 * Deployment's. */
static int32_t find_new_rs(const struct world *w)
{
	int32_t i;

	for (i = 0; i < w->n_rs; i++)
		if (rs_ours(&w->rs[i]) && w->rs[i].tmpl == w->dep.tmpl)
			return i;
	return -1;
}

static int32_t max_old_revision(const struct world *w, int32_t new_rs)
{
	int32_t i, m = 0;

	for (i = 0; i < w->n_rs; i++)
		if (i != new_rs && rs_ours(&w->rs[i]) && w->rs[i].revision > m)
			m = w->rs[i].revision;
	return m;
}

/* Creates the new ReplicaSet (revision maxOld + 1), born at replicas. */
int deploy_create_new_rs(struct world *w, int32_t replicas)
{
	int32_t rev = max_old_revision(w, -1) + 1;
	int32_t i = rs_create(w, w->dep.tmpl, rev);

	if (i < 0) {
		bus_fail(w, RSIM_ENOMEM);
		return 0;
	}
	w->dep.new_rs = i;
	w->dep.revision = rev;
	if (decide_on(w))
		explain_new_rs(w, replicas);
	if (has_deadline(w))
		set_progress(w, PROGRESS_NEW_RS_CREATED);
	deploy_scale_rs(w, i, replicas);
	return 1;
}

/* getNewReplicaSet with an existing match: it becomes the new ReplicaSet
 * and its revision is raised to maxOld + 1 (the undo case, §8). Without a
 * match new_rs is -1 until the strategy creates one. Its minReadySeconds
 * is brought up to date by sync_min_ready once the sync has read the
 * ReplicaSets' status. */
int32_t deploy_sync_new_rs(struct world *w)
{
	int32_t nr = find_new_rs(w), m;

	w->dep.new_rs = nr;
	if (nr < 0)
		return -1;
	m = max_old_revision(w, nr);
	if (w->rs[nr].revision <= m)
		rs_set_revision(w, nr, m + 1);
	w->dep.revision = w->rs[nr].revision;
	if (w->dep.progress == PROGRESS_NONE && has_deadline(w))
		set_progress(w, PROGRESS_FOUND_NEW_RS);
	return nr;
}

/* getNewReplicaSet also writes the Deployment's minReadySeconds onto an
 * existing new ReplicaSet (sync.go, minReadySecondsNeedsUpdate). The
 * sync goes on with the ReplicaSets' status as it read them; the
 * ReplicaSet controller judges the pods by the new value afterwards, so
 * this runs after the sync's own reads and writes. */
static void sync_min_ready(struct world *w)
{
	if (w->dep.new_rs >= 0)
		rs_set_min_ready(w, w->dep.new_rs, w->dep.spec.min_ready_ns);
}

struct deploy_status {
	int32_t replicas, updated, ready, available, unavailable;
};

/* sync.go calculateStatus: the counts summed over the ReplicaSets' status
 * (updatedReplicas from the new ReplicaSet, 0 while there is none). */
static void compute_status(const struct world *w, struct deploy_status *s)
{
	int32_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < w->n_rs; i++) {
		if (w->rs[i].owner)
			continue;
		s->replicas += w->rs[i].active;
		s->ready += w->rs[i].ready;
		s->available += w->rs[i].available;
		s->unavailable += w->rs[i].spec;   /* minus available below */
	}
	s->unavailable -= s->available;
	if (s->unavailable < 0)
		s->unavailable = 0;
	if (w->dep.new_rs >= 0)
		s->updated = w->rs[w->dep.new_rs].active;
}

/* Scratch arrays sized for the ReplicaSets of the run. */
struct rs_scratch {
	struct rs_counts *c;
	struct rs_scale_in *in;
	int32_t *idx, *out, *ord;
};

static int scratch_get(struct world *w, struct rs_scratch *s)
{
	size_t n = (size_t)(w->n_rs ? w->n_rs : 1);

	s->c = rsim_malloc(n * sizeof(*s->c));
	s->in = rsim_malloc(n * sizeof(*s->in));
	s->idx = rsim_malloc(n * sizeof(*s->idx));
	s->out = rsim_malloc(n * sizeof(*s->out));
	s->ord = rsim_malloc(n * sizeof(*s->ord));
	if (s->c && s->in && s->idx && s->out && s->ord)
		return 0;
	free(s->c);
	free(s->in);
	free(s->idx);
	free(s->out);
	free(s->ord);
	bus_fail(w, RSIM_ENOMEM);
	return -1;
}

static void scratch_put(struct rs_scratch *s)
{
	free(s->c);
	free(s->in);
	free(s->idx);
	free(s->out);
	free(s->ord);
}

/* §2.2 one rolloutRolling sync; *st gets the status it reads. */
static int rolling_once(struct world *w, struct deploy_status *st)
{
	struct rs_counts newc;
	struct rs_scratch s;
	struct rolling_result r;
	int32_t nr = deploy_sync_new_rs(w), i, n = 0;

	compute_status(w, st);
	if (nr < 0) {
		int32_t all = 0;

		for (i = 0; i < w->n_rs; i++)
			all += w->rs[i].spec;
		return deploy_create_new_rs(w, deploy_new_rs_replicas(
			w->dep.spec.replicas, deploy_surge(w), 0, all));
	}
	if (scratch_get(w, &s))
		return 0;
	for (i = 0; i < w->n_rs; i++) {
		if (i == nr || w->rs[i].deleted)
			continue;
		s.c[n].spec = w->rs[i].spec;
		s.c[n].avail = w->rs[i].available;
		s.idx[n++] = i;
	}
	newc.spec = w->rs[nr].spec;
	newc.avail = w->rs[nr].available;
	r = deploy_rolling_step(w->dep.spec.replicas, deploy_surge(w),
				deploy_unavailable(w), &newc, s.c, (size_t)n);
	if (decide_on(w))
		explain_rolling(w, nr, &newc, s.c, s.idx, n, &r);
	if (newc.spec != w->rs[nr].spec)
		deploy_scale_rs(w, nr, newc.spec);
	for (i = 0; i < n; i++)        /* step 1's writes, then step 2's */
		if (s.c[i].cleaned > 0)
			deploy_scale_rs(w, s.idx[i], w->rs[s.idx[i]].spec -
						      s.c[i].cleaned);
	for (i = 0; i < n; i++)
		if (s.c[i].spec != w->rs[s.idx[i]].spec)
			deploy_scale_rs(w, s.idx[i], s.c[i].spec);
	scratch_put(&s);
	return r.action != ROLLING_NONE;
}

/* §5 rolloutRecreate: old ReplicaSets to 0; wait until no old pod exists
 * (terminating ones included); then the new ReplicaSet, born at R. *st
 * gets the status the sync reads. */
static int recreate_once(struct world *w, struct deploy_status *st)
{
	int32_t nr = deploy_sync_new_rs(w), i;
	int scaled = 0;

	compute_status(w, st);
	for (i = 0; i < w->n_rs; i++)
		if (i != nr && !w->rs[i].deleted && w->rs[i].spec > 0) {
			if (!scaled && decide_on(w))
				explain_recreate(w, nr, RECREATE_OLD_DOWN);
			deploy_scale_rs(w, i, 0);
			scaled = 1;
		}
	if (scaled)
		return 1;
	for (i = 0; i < w->n_rs; i++)
		if (i != nr && w->rs[i].existing > 0) {
			if (decide_on(w))
				explain_recreate(w, nr, RECREATE_WAIT);
			return 0;                  /* oldPodsRunning */
		}
	if (nr < 0)
		return deploy_create_new_rs(w, w->dep.spec.replicas);
	if (w->rs[nr].spec != w->dep.spec.replicas) {
		if (decide_on(w))
			explain_recreate(w, nr, RECREATE_NEW_UP);
		deploy_scale_rs(w, nr, w->dep.spec.replicas);
		return 1;
	}
	return 0;
}

/* §2.1 isScalingEvent: an active ReplicaSet annotated for other replicas. */
static int is_scaling_event(const struct world *w)
{
	int32_t i;

	for (i = 0; i < w->n_rs; i++) {
		const struct replicaset *r = &w->rs[i];

		if (rs_ours(r) && r->spec > 0 && r->desired_annot >= 0 &&
		    r->desired_annot != w->dep.spec.replicas)
			return 1;
	}
	return 0;
}

static int32_t status_replicas(const struct world *w)
{
	int32_t i, n = 0;

	for (i = 0; i < w->n_rs; i++)
		if (!w->rs[i].owner)
			n += w->rs[i].active;
	return n;
}

/* Writes the sizes of scale() in upstream's order: the active
 * ReplicaSets sorted by size, larger first, ties newer first when growing
 * and older first when shrinking (unsorted: old ones, then the new one). */
static void write_in_order(struct world *w, struct rs_scratch *s, int32_t n,
			   int32_t new_pos)
{
	int32_t i, j, k = 0, sum = 0, *ord = s->ord;
	int32_t to_add, allowed;

	allowed = w->dep.spec.replicas > 0
			  ? deploy_max_total(w->dep.spec.replicas,
					     deploy_surge(w))
			  : 0;
	for (i = 0; i < n; i++)
		sum += s->in[i].spec;
	to_add = allowed - sum;
	for (i = 0; i < n; i++)
		if (s->out[i] >= 0 && i != new_pos)
			ord[k++] = i;
	if (new_pos >= 0 && s->out[new_pos] >= 0)
		ord[k++] = new_pos;
	for (i = 1; to_add != 0 && i < k; i++) {      /* insertion sort */
		int32_t x = ord[i];

		for (j = i; j > 0; j--) {
			int32_t y = ord[j - 1];
			int before = s->in[x].spec > s->in[y].spec ||
				     (s->in[x].spec == s->in[y].spec &&
				      (to_add > 0 ? s->idx[x] > s->idx[y]
						  : s->idx[x] < s->idx[y]));

			if (!before)
				break;
			ord[j] = y;
		}
		ord[j] = x;
	}
	for (i = 0; i < k; i++)
		deploy_scale_rs(w, s->idx[ord[i]], s->out[ord[i]]);
}

/* §3 sync(): the scaling-only path (replicas changed, or paused); *st
 * gets the status it reads. */
static void scale_path(struct world *w, struct deploy_status *st)
{
	struct rs_scratch s;
	int32_t i, n = 0, nr = deploy_sync_new_rs(w), new_pos = -1;

	compute_status(w, st);
	if (scratch_get(w, &s))
		return;
	for (i = 0; i < w->n_rs; i++) {
		const struct replicaset *r = &w->rs[i];

		if (r->deleted)
			continue;
		if (i == nr)
			new_pos = n;
		s.in[n].spec = r->spec;
		s.in[n].avail = r->available;
		s.in[n].desired_annot = r->desired_annot;
		s.in[n].max_annot = r->max_annot;
		s.idx[n++] = i;
	}
	if (deploy_scale(w->dep.spec.strategy, w->dep.spec.replicas,
			 deploy_surge(w), status_replicas(w), s.in, (size_t)n,
			 new_pos, s.out) < 0)
		bus_fail(w, RSIM_ENOMEM);
	else if (decide_on(w))
		explain_scale(w, s.in, s.out, s.idx, n, new_pos);
	write_in_order(w, &s, n, new_pos);
	scratch_put(&s);
}

/* The Deployment's spec.replicas as its controller reads it: under
 * Flagger the target Deployment is scaled by Flagger (0 or N, flagger.c);
 * w->dep.spec.replicas stays the user's value. */
static int32_t own_replicas(const struct world *w)
{
	if (w->dep.spec.strategy == STRATEGY_FLAGGER)
		return flagger_target_replicas(w);
	return w->dep.spec.replicas;
}

/* §7 DeploymentComplete */
static int status_complete(const struct world *w, const struct deploy_status *s)
{
	int32_t r = own_replicas(w);

	return s->updated == r && s->replicas == r && s->available == r;
}

/* §7 DeploymentProgressing: fresh status against the stored one. */
static int status_progressing(const struct world *w,
			      const struct deploy_status *s)
{
	const struct deploy_state *d = &w->dep;

	return s->updated > d->st_updated ||
	       s->replicas - s->updated < d->st_replicas - d->st_updated ||
	       s->ready > d->st_ready || s->available > d->st_available;
}

static void ev_sync(void *ctx, uint64_t arg);

/* requeueStuckDeployment: look again 1 s after the deadline would pass. */
static void arm_deadline(struct world *w)
{
	struct deploy_state *d = &w->dep;
	sim_time_t at;

	engine_cancel(w->eng, d->deadline_timer);
	d->deadline_timer = ENGINE_HANDLE_NONE;
	if (!has_deadline(w) || d->spec.paused ||
	    d->progress == PROGRESS_NEW_RS_AVAILABLE ||
	    d->progress == PROGRESS_DEADLINE_EXCEEDED ||
	    d->progress == PROGRESS_NONE)
		return;
	at = sim_time_add(d->progress_update_ns,
			  sim_time_add(d->spec.progress_deadline_ns,
				       SIM_NS_PER_S));
	d->deadline_timer = engine_schedule(w->eng, at, ev_sync, w, 1);
}

/* §7 syncRolloutStatus: the Progressing condition, on rollout syncs. */
static void update_progress(struct world *w, const struct deploy_status *s)
{
	struct deploy_state *d = &w->dep;
	sim_time_t now = engine_now(w->eng);
	char obj[DEPLOY_NAME_MAX + 16];

	if (!has_deadline(w)) {
		set_progress(w, PROGRESS_NONE);    /* removed, if any */
		return;
	}
	if (d->progress == PROGRESS_NEW_RS_AVAILABLE &&
	    s->replicas == s->updated)
		return;
	if (status_complete(w, s)) {
		set_progress(w, PROGRESS_NEW_RS_AVAILABLE);
	} else if (status_progressing(w, s)) {
		set_progress(w, PROGRESS_RS_UPDATED);
	} else if (d->progress != PROGRESS_DEADLINE_EXCEEDED &&
		   d->progress != PROGRESS_NONE &&
		   d->progress != PROGRESS_NEW_RS_AVAILABLE &&
		   sim_time_add(d->progress_update_ns,
				d->spec.progress_deadline_ns) < now) {
		if (decide_on(w))
			explain_deadline(w);
		set_progress(w, PROGRESS_DEADLINE_EXCEEDED);
		w->dep_lis.deadline_exceeded(w->dep_lis.data);
		bus_emit(w, "Warning", "ProgressDeadlineExceeded",
			 deploy_object(w, obj, sizeof(obj)),
			 "ReplicaSet \"%s\" has timed out progressing.",
			 deploy_rs_name(w, d->new_rs));
	}
}

/* The Available condition (calculateStatus). */
static void update_available(struct world *w, const struct deploy_status *s)
{
	int on = s->available >= own_replicas(w) - deploy_unavailable(w);
	char obj[DEPLOY_NAME_MAX + 16];

	if (w->dep.available_cond == on)
		return;
	w->dep.available_cond = on;
	w->dep.available_since_ns = engine_now(w->eng);
	bus_emit(w, "Status", "Available", deploy_object(w, obj, sizeof(obj)),
		 on ? "True MinimumReplicasAvailable: Deployment has minimum "
			"availability."
		      : "False MinimumReplicasUnavailable: Deployment does not "
			"have minimum availability.");
}

/* §8 cleanupDeployment: of the `diff` old ReplicaSets with the lowest
 * revisions beyond revisionHistoryLimit, delete those fully scaled down
 * (spec 0, no active pod); the others are skipped this round. */
static void cleanup_history(struct world *w)
{
	int32_t i, n = 0, diff, k, best, last_rev = -1;

	for (i = 0; i < w->n_rs; i++)
		if (rs_ours(&w->rs[i]) && i != w->dep.new_rs)
			n++;
	diff = n - w->dep.spec.revision_history_limit;
	for (k = 0; k < diff; k++) {
		best = -1;      /* the next lowest revision after last_rev */
		for (i = 0; i < w->n_rs; i++)
			if (rs_ours(&w->rs[i]) &&
			    i != w->dep.new_rs && w->rs[i].revision > last_rev &&
			    (best < 0 || w->rs[i].revision < w->rs[best].revision))
				best = i;
		if (best < 0)
			return;
		last_rev = w->rs[best].revision;
		if (w->rs[best].spec == 0 && w->rs[best].active == 0) {
			w->rs[best].deleted = 1;
			rs_observe(w, best);
		}
	}
}

static void store_status(struct world *w, const struct deploy_status *s)
{
	w->dep.st_replicas = s->replicas;
	w->dep.st_updated = s->updated;
	w->dep.st_ready = s->ready;
	w->dep.st_available = s->available;
	w->dep.st_unavailable = s->unavailable;
	w->dep.observed_generation = w->dep.generation;
}

/* The user changed the spec (before is the spec it had): the API server
 * moves metadata.generation, and watchers see the object. */
static void spec_written(struct world *w, const struct deploy_config *before)
{
	if (memcmp(before, &w->dep.spec, sizeof(*before)) == 0)
		return;
	w->dep.generation++;
	deploy_observe(w);
}

/* One sync's status write: progress.go syncRolloutStatus for a rollout
 * sync, sync.go syncDeploymentStatus (the Progressing condition left as
 * it is) for the scaling path. s is the status the sync computed from
 * the ReplicaSets' status as it read them, before its own writes. */
static void write_status(struct world *w, const struct deploy_status *s,
			 int rollout)
{
	struct world_deploy_view before, after;

	if (w->obs.on_deploy)
		deploy_view(w, &before);
	if (rollout)
		update_progress(w, s);
	update_available(w, s);
	store_status(w, s);
	if (!w->obs.on_deploy)
		return;
	deploy_view(w, &after);      /* an unchanged status is not written */
	if (memcmp(&before, &after, sizeof(after)) != 0)
		deploy_view_send(w, &after);
}

/* One step of the strategy in force; *st gets the status it reads. */
static int strategy_once(struct world *w, struct deploy_status *st)
{
	switch (w->dep.spec.strategy) {
	case STRATEGY_RECREATE:
		return recreate_once(w, st);
	case STRATEGY_ROLLING_UPDATE:
		return rolling_once(w, st);
	default:
		compute_status(w, st);
		return prog_once(w);
	}
}

/* The rollout is done: DeploymentComplete, or the progressive
 * controller's own judgement. */
static int rollout_complete(const struct world *w,
			    const struct deploy_status *s)
{
	if (deploy_strategy_progressive(w->dep.spec.strategy))
		return prog_complete(w);
	return status_complete(w, s);
}

/* A rollout sync (§2.2, §5). Upstream each step is a sync of its own
 * (its write requeues the Deployment, the next follows within
 * milliseconds) that writes the status it read: the sync that creates
 * the new ReplicaSet stores updatedReplicas 0, so the next one sees
 * progress (ReplicaSetUpdated) at once. Here the steps run in one call,
 * each writing that status, until a step changes nothing; that last
 * one cleans up history when the stored status is complete. */
static void rollout_sync(struct world *w)
{
	struct deploy_status s, stored;
	int steps = 0, changed;

	do {
		if (w->error)
			return;
		if (++steps > DEPLOY_MAX_STEPS) {
			bus_fail(w, RSIM_EINTERNAL);
			return;
		}
		changed = strategy_once(w, &s);
		if (changed)
			write_status(w, &s, 1);
		sync_min_ready(w);
	} while (changed);
	stored.replicas = w->dep.st_replicas;
	stored.updated = w->dep.st_updated;
	stored.available = w->dep.st_available;
	stored.ready = w->dep.st_ready;
	if (w->dep.new_rs >= 0 && status_complete(w, &stored))
		cleanup_history(w);
	write_status(w, &s, 1);
	arm_deadline(w);
	if (w->rollout_active && rollout_complete(w, &s))
		w->dep_lis.rollout_completed(w->dep_lis.data);
}

/* §2.1 syncDeployment */
static void deploy_sync(struct world *w)
{
	struct deploy_status s;

	if (!deploy_strategy_progressive(w->dep.spec.strategy) &&
	    (w->dep.spec.paused || is_scaling_event(w))) {
		scale_path(w, &s);
		if (w->dep.spec.paused)
			cleanup_history(w);
		write_status(w, &s, 0);
		sync_min_ready(w);
		if (!w->dep.spec.paused && !is_scaling_event(w))
			deploy_request_sync(w);   /* the rollout resumes */
		return;
	}
	rollout_sync(w);
	prog_roles_changed(w);   /* what the reconcile moved (roles, step,
				    phase), as its status write shows it */
}

static void ev_sync(void *ctx, uint64_t arg)
{
	struct world *w = ctx;

	if (arg == 0)
		w->dep.sync_timer = ENGINE_HANDLE_NONE;
	else
		w->dep.deadline_timer = ENGINE_HANDLE_NONE;
	deploy_sync(w);
	bus_changed(w);    /* the revision or the new ReplicaSet may have
				changed without any pod changing */
}

/* The controller reacts after controllers.syncDelay; requests made while
 * one is pending are merged into it (the work queue). */
void deploy_request_sync(struct world *w)
{
	if (w->dep.sync_timer != ENGINE_HANDLE_NONE)
		return;
	w->dep.sync_timer = engine_after(w->eng, bus_sync_delay(w), ev_sync,
					 w, 0);
}

void deploy_init(struct world *w)
{
	memset(&w->dep, 0, sizeof(w->dep));
	w->dep.spec = w->cfg->deployment;
	w->dep.new_rs = -1;
	w->dep.available_cond = -1;
	w->dep.tmpl = template_find_or_add(w, w->dep.spec.image,
					   &w->dep.spec.tmpl);
	if (w->dep.tmpl < 0) {
		bus_fail(w, RSIM_ENOMEM);
		return;
	}
	if (w->dep.spec.paused && has_deadline(w))
		set_progress(w, PROGRESS_PAUSED);
	w->dep.generation = 1;
	deploy_observe(w);          /* created */
	deploy_request_sync(w);
}

/* The pod template may have changed: a different template starts a
 * rollout (while paused it waits for the resume). */
static void template_maybe_changed(struct world *w)
{
	int32_t t = template_find_or_add(w, w->dep.spec.image,
					 &w->dep.spec.tmpl);

	if (t < 0) {
		bus_fail(w, RSIM_ENOMEM);
		return;
	}
	if (t != w->dep.tmpl) {
		w->dep.tmpl = t;
		w->dep_lis.rollout_started(w->dep_lis.data);
	}
}

void deploy_set_template(struct world *w, int image,
			 const struct pod_overrides *ovr)
{
	struct deploy_config before = w->dep.spec;

	w->dep.spec.image = image;
	if (ovr)
		w->dep.spec.tmpl = *ovr;
	template_maybe_changed(w);
	spec_written(w, &before);
	deploy_request_sync(w);
}

void deploy_scale_to(struct world *w, int32_t replicas)
{
	struct deploy_config before = w->dep.spec;

	w->dep.spec.replicas = replicas;
	spec_written(w, &before);
	deploy_request_sync(w);
}

static int both_literal_zero(const struct deploy_config *d)
{
	return d->strategy == STRATEGY_ROLLING_UPDATE &&
	       d->max_surge.value == 0 && d->max_unavailable.value == 0;
}

/* Validation the API server applies to the merged object (§1). */
static const char *invalid_spec(const struct deploy_config *d)
{
	if (both_literal_zero(d))
		return "spec.strategy.rollingUpdate.maxUnavailable: Invalid "
		       "value: may not be 0 when maxSurge is 0";
	if (d->progress_deadline_ns > 0 &&
	    d->progress_deadline_ns <= d->min_ready_ns)
		return "spec.progressDeadlineSeconds: Invalid value: must be "
		       "greater than minReadySeconds";
	return NULL;
}

static void merge_patch(struct deploy_config *d,
			const struct deploy_patch *p)
{
	const struct deploy_config *v = &p->v;

	if (p->mask & PATCH_REPLICAS)
		d->replicas = v->replicas;
	if (p->mask & PATCH_MIN_READY)
		d->min_ready_ns = v->min_ready_ns;
	if (p->mask & PATCH_PROGRESS_DEADLINE)
		d->progress_deadline_ns = v->progress_deadline_ns;
	if (p->mask & PATCH_HISTORY_LIMIT)
		d->revision_history_limit = v->revision_history_limit;
	if (p->mask & PATCH_STRATEGY_TYPE)
		d->strategy = v->strategy;
	if (p->mask & PATCH_MAX_SURGE)
		d->max_surge = v->max_surge;
	if (p->mask & PATCH_MAX_UNAVAILABLE)
		d->max_unavailable = v->max_unavailable;
	if (p->mask & PATCH_IMAGE)
		d->image = v->image;
	if (p->mask & PATCH_PAUSED)
		d->paused = v->paused;
	pod_overrides_merge(&d->tmpl, &v->tmpl);
}

static void pause_set(struct world *w, int paused);

void deploy_apply(struct world *w, const struct deploy_patch *p)
{
	struct deploy_config before = w->dep.spec, next = w->dep.spec;
	const char *why;
	char obj[DEPLOY_NAME_MAX + 16];

	merge_patch(&next, p);
	why = invalid_spec(&next);
	if (why) {
		bus_emit(w, "Warning", "Invalid", deploy_object(w, obj,
								sizeof(obj)),
			 "The Deployment \"%s\" is invalid: %s (apply "
			 "rejected)", w->dep.spec.name, why);
		return;
	}
	if (next.paused != w->dep.spec.paused) {
		pause_set(w, next.paused);
		next.paused = w->dep.spec.paused;
	}
	w->dep.spec = next;
	template_maybe_changed(w);
	spec_written(w, &before);
	deploy_request_sync(w);
}

void deploy_pause(struct world *w, int paused)
{
	struct deploy_config before = w->dep.spec;

	pause_set(w, paused);
	spec_written(w, &before);
}

/* kubectl rollout pause / resume (checkPausedConditions, §8). */
static void pause_set(struct world *w, int paused)
{
	if (w->dep.spec.paused == paused)
		return;
	w->dep.spec.paused = paused;
	if (has_deadline(w) && w->dep.progress != PROGRESS_DEADLINE_EXCEEDED)
		set_progress(w, paused ? PROGRESS_PAUSED : PROGRESS_RESUMED);
	arm_deadline(w);
	deploy_request_sync(w);
}

/* The ReplicaSet of revision to_revision, or for 0 the one with the
 * second-highest revision (kubectl's rollback.go deploymentRevision, over
 * every ReplicaSet of the Deployment); -1 if none. */
static int32_t undo_target(const struct world *w, int32_t to_revision)
{
	int32_t i, first = -1, second = -1;

	for (i = 0; i < w->n_rs; i++) {
		const struct replicaset *r = &w->rs[i];

		if (!rs_ours(r))
			continue;
		if (to_revision > 0) {
			if (r->revision == to_revision)
				return i;
			continue;
		}
		if (first < 0 || r->revision > w->rs[first].revision) {
			second = first;
			first = i;
		} else if (second < 0 || r->revision > w->rs[second].revision) {
			second = i;
		}
	}
	return to_revision > 0 ? -1 : second;
}

/* kubectl rollout undo [--to-revision=N], which kubectl performs itself
 * (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go
 * DeploymentRollbacker.Rollback; current clusters have no controller-side
 * rollback and no DeploymentRollback events): find the revision's
 * ReplicaSet (deploymentRevision), refuse a paused Deployment, skip a
 * template that already matches, else patch the Deployment's template;
 * the controller then adopts that ReplicaSet as the new one and raises
 * its revision (§8). What kubectl prints (its stdout line, or "error: "
 * and the error on stderr) goes to events.log with type "kubectl",
 * reason RolloutUndo. The skip line names the revision as asked (0 for
 * the previous one), as kubectl does. */
void deploy_undo(struct world *w, int32_t to_revision)
{
	char obj[DEPLOY_NAME_MAX + 16], msg[DEPLOY_NAME_MAX + 192];
	const char *name = w->dep.spec.name;
	int32_t target = undo_target(w, to_revision);
	int act = 0;

	if (target < 0 && to_revision > 0)
		snprintf(msg, sizeof(msg), "error: unable to find specified "
			 "revision %d in history", to_revision);
	else if (target < 0)
		snprintf(msg, sizeof(msg), "error: no rollout history found "
			 "for deployment \"%s\"", name);
	else if (w->dep.spec.paused)
		snprintf(msg, sizeof(msg),
			 "error: you cannot rollback a paused "
			 "deployment; resume it first with 'kubectl rollout "
			 "resume deployment/%s' and try again", name);
	else if (w->rs[target].tmpl == w->dep.tmpl)
		snprintf(msg, sizeof(msg),
			 "deployment.apps/%s skipped rollback "
			 "(current template already matches revision %d)", name,
			 to_revision);
	else {
		snprintf(msg, sizeof(msg), "deployment.apps/%s rolled back",
			 name);
		act = 1;
	}
	bus_emit(w, "kubectl", "RolloutUndo", deploy_object(w, obj,
							    sizeof(obj)),
		 "%s", msg);
	if (act) {
		const struct pod_template *t = &w->tmpls[w->rs[target].tmpl];

		deploy_set_template(w, t->image, &t->ovr);
	}
}
