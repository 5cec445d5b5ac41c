/* snap.c - the objects kubectl reads at one simulated time (snap.h). */
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "snap.h"

static int snap_grow(void **arr, int32_t *cap, size_t elem)
{
	int32_t ncap = *cap ? *cap * 2 : 16;
	void *p = rsim_realloc(*arr, (size_t)ncap * elem);

	if (!p)
		return RSIM_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static void snap_on_rs(void *ctx, sim_time_t t, const struct world_rs_view *v)
{
	struct teach_snap *s = ctx;
	int32_t i;

	if (t > s->at_ns || s->error)
		return;
	for (i = 0; i < s->n_rs; i++)
		if (strcmp(s->rs[i].name, v->name) == 0)
			break;
	if (i == s->n_rs) {
		if (s->n_rs == s->cap_rs &&
		    snap_grow((void **)&s->rs, &s->cap_rs, sizeof(*s->rs))) {
			s->error = RSIM_ENOMEM;
			return;
		}
		s->n_rs++;
		snprintf(s->rs[i].name, sizeof(s->rs[i].name), "%s", v->name);
	}
	s->rs[i].v = *v;
	s->rs[i].v.name = s->rs[i].name;
	snprintf(s->rs[i].role, sizeof(s->rs[i].role), "%s",
		 v->role ? v->role : "");
	s->rs[i].v.role = s->rs[i].role;
}

/* A copy of src into buf (n bytes); returns buf. */
static const char *snap_copy(char *buf, size_t n, const char *src)
{
	snprintf(buf, n, "%s", src ? src : "");
	return buf;
}

/* The progressive fields' strings of the view, copied. */
static void snap_prog(struct teach_snap *s, const struct world_deploy_view *v)
{
	s->d.strategy = snap_copy(s->strategy, sizeof(s->strategy),
				  v->strategy);
	s->d.stable_rs = snap_copy(s->stable_rs, sizeof(s->stable_rs),
				   v->stable_rs);
	s->d.canary_rs = snap_copy(s->canary_rs, sizeof(s->canary_rs),
				   v->canary_rs);
	s->d.stable_role = snap_copy(s->stable_role, sizeof(s->stable_role),
				     v->stable_role);
	s->d.canary_role = snap_copy(s->canary_role, sizeof(s->canary_role),
				     v->canary_role);
	s->d.phase = snap_copy(s->phase, sizeof(s->phase), v->phase);
	s->d.message = snap_copy(s->message, sizeof(s->message), v->message);
}

static void snap_on_deploy(void *ctx, sim_time_t t,
			   const struct world_deploy_view *v)
{
	struct teach_snap *s = ctx;

	if (t > s->at_ns)
		return;
	s->have_deploy = 1;
	s->d = *v;
	s->spec = *v->spec;
	snprintf(s->name, sizeof(s->name), "%s", v->name);
	snprintf(s->progressing, sizeof(s->progressing), "%s",
		 v->progressing ? v->progressing : "");
	snprintf(s->available, sizeof(s->available), "%s",
		 v->available_cond ? v->available_cond : "");
	snprintf(s->new_rs, sizeof(s->new_rs), "%s", v->new_rs ? v->new_rs : "");
	s->d.name = s->name;
	s->d.progressing = s->progressing;
	s->d.available_cond = s->available;
	s->d.new_rs = s->new_rs;
	s->d.spec = &s->spec;
	snap_prog(s, v);
}

/* Events of the Deployment object, Kubernetes' own types only (events.log
 * also has rollsim's "Status" and "kubectl" lines). */
static void snap_on_event(void *ctx, sim_time_t t, const char *type,
			  const char *reason, const char *object,
			  const char *message)
{
	struct teach_snap *s = ctx;
	struct snap_event *e;
	int32_t i;

	if (t > s->at_ns || s->error || !s->have_deploy ||
	    strncmp(object, "deployment/", 11) != 0 ||
	    strcmp(object + 11, s->name) != 0 ||
	    (strcmp(type, "Normal") != 0 && strcmp(type, "Warning") != 0))
		return;
	for (i = 0; i < s->n_ev; i++) {
		e = &s->ev[i];
		if (strcmp(e->type, type) == 0 && strcmp(e->reason, reason) == 0 &&
		    strcmp(e->message, message) == 0) {
			e->count++;
			e->last_ns = t;
			return;
		}
	}
	if (s->n_ev == s->cap_ev &&
	    snap_grow((void **)&s->ev, &s->cap_ev, sizeof(*s->ev))) {
		s->error = RSIM_ENOMEM;
		return;
	}
	e = &s->ev[s->n_ev++];
	snprintf(e->type, sizeof(e->type), "%s", type);
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
	snprintf(e->message, sizeof(e->message), "%s", message);
	e->first_ns = e->last_ns = t;
	e->count = 1;
}

int teach_snap_take(const struct teach_args *a, const struct world_config *cfg,
		    sim_time_t at_ns, struct teach_snap *s,
		    struct rsim_error *err)
{
	struct world_observer obs;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&obs, 0, sizeof(obs));
	s->at_ns = at_ns < cfg->until_ns ? at_ns : cfg->until_ns;
	obs.ctx = s;
	obs.on_rs = snap_on_rs;
	obs.on_deploy = snap_on_deploy;
	obs.on_event = snap_on_event;
	rc = teach_run(cfg, &obs, a->scenario, NULL, NULL, err);
	if (!rc && s->error)
		rc = rsim_error_set(err, s->error, a->scenario, "",
				    "out of memory");
	return rc;
}

void teach_snap_release(struct teach_snap *s)
{
	free(s->rs);
	free(s->ev);
	s->rs = NULL;
	s->ev = NULL;
}

int32_t teach_snap_live_rs(const struct teach_snap *s, int32_t *idx)
{
	int32_t i, n = 0;

	for (i = 0; i < s->n_rs; i++)
		if (!s->rs[i].v.deleted)
			idx[n++] = i;
	return n;
}
