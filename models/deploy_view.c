/* deploy_view.c - the Deployment as the API server stores it, for the
 * on_deploy observer: its spec and status (kubectl rollout status,
 * describe) and, for a progressive strategy, the sides, weight, step and
 * phase its controller reports (prog_sides), sent again when only those
 * move (prog_roles_changed). deployment.c decides; this file shows.
 */
#include <stdio.h>
#include <string.h>

#include "world_impl.h"

/* The progressive strategies' part of the view (prog_sides). */
static void deploy_view_prog(const struct world *w,
			     struct world_deploy_view *v)
{
	struct prog_sides s;

	v->strategy = deploy_strategy_name(w->dep.spec.strategy);
	v->progressive = deploy_strategy_progressive(w->dep.spec.strategy);
	v->stable_rs = v->canary_rs = "";
	v->stable_role = v->canary_role = v->phase = v->message = "";
	v->step = -1;
	if (!v->progressive)
		return;
	prog_sides(w, &s);
	v->stable_rs = deploy_rs_name(w, s.stable_rs);
	if (s.canary_rs != s.stable_rs)
		v->canary_rs = deploy_rs_name(w, s.canary_rs);
	v->stable_role = s.stable_role ? s.stable_role : "";
	v->canary_role = s.canary_role ? s.canary_role : "";
	v->weight = s.weight;
	v->step = s.step;
	v->n_steps = s.n_steps;
	v->phase = s.phase ? s.phase : "";
	v->message = s.message ? s.message : "";
}

/* The Deployment as stored (kubectl rollout status, describe). */
void deploy_view(const struct world *w, struct world_deploy_view *v)
{
	const struct deploy_state *d = &w->dep;

	memset(v, 0, sizeof(*v));
	v->name = d->spec.name;
	v->generation = d->generation;
	v->observed_generation = d->observed_generation;
	v->replicas = d->spec.replicas;
	v->st_replicas = d->st_replicas;
	v->updated = d->st_updated;
	v->ready = d->st_ready;
	v->available = d->st_available;
	v->unavailable = d->st_unavailable;
	v->revision = d->revision;
	v->image = d->spec.image;
	v->paused = d->spec.paused;
	v->progressing = deploy_progress_text(w);
	v->available_cond = d->available_cond < 0 ? ""
			    : d->available_cond ? "True MinimumReplicasAvailable"
			    : "False MinimumReplicasUnavailable";
	v->template = d->tmpl;
	v->new_rs = deploy_rs_name(w, d->new_rs);
	v->spec = &d->spec;
	deploy_view_prog(w, v);
}

/* The progressive fields of v as one string, to tell whether they moved
 * since the last view observed. */
static void deploy_prog_sig(const struct world_deploy_view *v, char *buf,
			    size_t n)
{
	snprintf(buf, n, "%s|%s|%s|%s|%d|%d|%d|%s|%s", v->stable_rs,
		 v->canary_rs, v->stable_role, v->canary_role, (int)v->weight,
		 (int)v->step, (int)v->n_steps, v->phase, v->message);
}

void deploy_view_send(struct world *w, const struct world_deploy_view *v)
{
	deploy_prog_sig(v, w->dep.prog_shown, sizeof(w->dep.prog_shown));
	w->obs.on_deploy(w->obs.ctx, engine_now(w->eng), v);
}

void deploy_observe(struct world *w)
{
	struct world_deploy_view v;

	if (!w->obs.on_deploy)
		return;
	deploy_view(w, &v);
	deploy_view_send(w, &v);
}

/* The controllers' hook (prog_impl.h): the ReplicaSets whose role
 * changed, then the Deployment if its progressive fields moved (Argo
 * writes them to the Rollout's status: a watcher sees the object). */
void prog_roles_changed(struct world *w)
{
	struct world_deploy_view v;
	char sig[sizeof(w->dep.prog_shown)];
	int32_t i;

	if (!deploy_strategy_progressive(w->dep.spec.strategy))
		return;
	for (i = 0; i < w->n_rs; i++)
		rs_observe(w, i);
	if (!w->obs.on_deploy)
		return;
	deploy_view(w, &v);
	deploy_prog_sig(&v, sig, sizeof(sig));
	if (strcmp(sig, w->dep.prog_shown) != 0)
		deploy_view_send(w, &v);
}
