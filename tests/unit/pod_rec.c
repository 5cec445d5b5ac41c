/* pod_rec.c - the recorder and world builders shared by the pod unit tests
 * (see pod_rec.h).
 *
 * The recorder keeps every callback in growing arrays (doubling from 256);
 * lookups are linear scans, which is plenty for worlds of a few pods.
 * This file holds no tests of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/pod.h"
#include "models/world.h"
#include "sim/core/dist.h"
#include "sim/core/engine.h"
#include "pod_rec.h"

/* ------------------------------------------------------------ recording */

static void *grow(void *p, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 256;
	void *n = realloc(p, ncap * elem);

	cr_assert_not_null(n, "out of memory in the test recorder");
	*cap = ncap;
	return n;
}

static void rec_on_event(void *ctx, sim_time_t t, const char *type,
			 const char *reason, const char *object,
			 const char *message)
{
	struct rec *r = ctx;
	struct rec_event *e;

	(void)type;
	if (r->n_ev == r->cap_ev)
		r->ev = grow(r->ev, &r->cap_ev, sizeof(*r->ev));
	e = &r->ev[r->n_ev++];
	e->t = t;
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
	snprintf(e->object, sizeof(e->object), "%s", object);
	snprintf(e->message, sizeof(e->message), "%s", message);
}

static void rec_on_counts(void *ctx, sim_time_t t,
			  const struct world_counts *c)
{
	struct rec *r = ctx;

	if (r->n_cn == r->cap_cn)
		r->cn = grow(r->cn, &r->cap_cn, sizeof(*r->cn));
	r->cn[r->n_cn].t = t;
	r->cn[r->n_cn].c = *c;
	r->n_cn++;
}

static void rec_on_pod(void *ctx, sim_time_t t,
		       const struct world_pod_view *v)
{
	struct rec *r = ctx;
	struct rec_pod *x;

	if (r->n_pv == r->cap_pv)
		r->pv = grow(r->pv, &r->cap_pv, sizeof(*r->pv));
	x = &r->pv[r->n_pv++];
	x->t = t;
	snprintf(x->name, sizeof(x->name), "%s", v->name);
	snprintf(x->rs, sizeof(x->rs), "%s", v->rs);
	snprintf(x->node, sizeof(x->node), "%s", v->node);
	snprintf(x->status, sizeof(x->status), "%s", v->status);
	snprintf(x->change, sizeof(x->change), "%s", v->change);
	x->revision = v->revision;
	x->ready = v->ready;
	x->containers = v->containers;
	x->restarts = v->restarts;
	x->created_ns = v->created_ns;
	x->last_exit_ns = v->last_exit_ns;
	x->deleted = v->deleted;
}

void rec_run_world(struct world_config *cfg, struct rec *r,
		   struct world_metrics *m, const char *row)
{
	struct world_observer obs;
	world *w = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&obs, 0, sizeof(obs));
	obs.ctx = r;
	obs.on_event = rec_on_event;
	obs.on_counts = rec_on_counts;
	obs.on_pod = rec_on_pod;
	rc = world_new(cfg, 0, &obs, &w);
	cr_assert_eq(rc, 0, "%s: world_new returned %d", row, rc);
	rc = world_run(w);
	cr_assert_eq(rc, 0, "%s: world_run returned %d", row, rc);
	world_get_metrics(w, m);
	world_free(w);
	world_config_release(cfg);
}

void rec_free(struct rec *r)
{
	free(r->ev);
	free(r->cn);
	free(r->pv);
	memset(r, 0, sizeof(*r));
}

/* -------------------------------------------------------------- lookups */

int rec_match(const struct rec_event *e, const char *reason,
	      const char *object, const char *msg_sub)
{
	return strcmp(e->reason, reason) == 0 &&
	       (!object || strcmp(e->object, object) == 0) &&
	       (!msg_sub || strstr(e->message, msg_sub) != NULL);
}

int rec_times(const struct rec *r, const char *reason, const char *object,
	      const char *msg_sub, sim_time_t *out, int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->n_ev; i++) {
		if (!rec_match(&r->ev[i], reason, object, msg_sub))
			continue;
		if (n < max)
			out[n] = r->ev[i].t;
		n++;
	}
	return n;
}

sim_time_t rec_first(const struct rec *r, const char *reason,
		     const char *object, const char *msg_sub)
{
	sim_time_t t = -1;

	return rec_times(r, reason, object, msg_sub, &t, 1) > 0 ? t : -1;
}

void rec_expect_times(const struct rec *r, const char *row,
		      const char *reason, const char *object,
		      const char *msg_sub, const sim_time_t *want, int n_want)
{
	sim_time_t got[REC_MAX_TIMES];
	char gs[512], ws[512];
	int n = rec_times(r, reason, object, msg_sub, got, REC_MAX_TIMES);

	if (n > REC_MAX_TIMES)
		n = REC_MAX_TIMES;
	rec_fmt_times(got, n, gs, sizeof(gs));
	rec_fmt_times(want, n_want, ws, sizeof(ws));
	cr_expect_str_eq(gs, ws, "%s: %s%s%s%s%s instants (s)\n"
			 "  expected %s\n  got      %s", row, reason,
			 object ? " " : "", object ? object : "",
			 msg_sub ? " " : "", msg_sub ? msg_sub : "", ws, gs);
}

int rec_pods_created(const struct rec *r, char (*obj)[REC_OBJECT_LEN],
		     int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < r->n_ev && n < max; i++) {
		const char *m = r->ev[i].message;

		if (strcmp(r->ev[i].reason, "SuccessfulCreate") != 0 ||
		    strncmp(m, "Created pod: ", 13) != 0)
			continue;
		snprintf(obj[n], sizeof(obj[n]), "pod/%s", m + 13);
		n++;
	}
	return n;
}

int rec_first_pod(const struct rec *r, char *obj, size_t cap)
{
	char first[1][REC_OBJECT_LEN];

	if (rec_pods_created(r, first, 1) < 1)
		return 0;
	snprintf(obj, cap, "%s", first[0]);
	return 1;
}

/* ------------------------------------------------------------ formatting */

double rec_secs(sim_time_t t)
{
	return t < 0 ? -1.0 : sim_ns_to_s(t);
}

void rec_fmt_times(const sim_time_t *t, int n, char *buf, size_t cap)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < cap; i++) {
		int w = snprintf(buf + used, cap - used, "%s%.3f", i ? " " : "",
				 sim_ns_to_s(t[i]));

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* --------------------------------------------------------------- worlds */

void rec_one_pod_config(struct world_config *cfg, const char *name,
			sim_time_t until_ns)
{
	struct image_config *im;

	world_config_init(cfg);
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	cfg->until_ns = until_ns;
	cfg->images = calloc(1, sizeof(*cfg->images));
	cr_assert_not_null(cfg->images);
	cfg->n_images = 1;
	im = &cfg->images[0];
	image_config_defaults(im, "app:1");
	im->pull = dist_constant(2 * SIM_NS_PER_S);
	im->container_start = dist_constant(1 * SIM_NS_PER_S);
	im->startup = dist_constant(0);
	cfg->deployment.replicas = 1;
	cfg->deployment.image = 0;
}

struct world_event *rec_add_event(struct world_config *cfg, sim_time_t at_ns,
				  enum world_action a)
{
	struct world_event *e;
	struct world_event *n = realloc(cfg->events, (cfg->n_events + 1) *
						     sizeof(*cfg->events));

	cr_assert_not_null(n);
	cfg->events = n;
	e = &cfg->events[cfg->n_events++];
	memset(e, 0, sizeof(*e));
	image_config_defaults(&e->patch.v.tmpl.v, NULL);
	e->at_ns = at_ns;
	e->action = a;
	return e;
}
