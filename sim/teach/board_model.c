/* board_model.c - records one run as the board's frames (board.h).
 *
 * An observer follows the run: the pods as stored (on_pod, by name), the
 * ReplicaSets (on_rs: their roles in a progressive rollout), the counts,
 * the events, the Deployment, the explained decisions and the traffic. When the simulated clock moves on, the instant that ended
 * becomes a frame, unless the board would show nothing new. The bounds
 * come from the scenario's spec as the user changes it (scale, apply;
 * an apply the API server rejects, which the run reports as an Invalid
 * event, changes nothing).
 */
#include <string.h>

#include "board.h"
#include "sim/core/alloc.h"
#include "sim/core/hash.h"
#include "teach_impl.h"

/* A pod on the board: its name in the names pool, ReplicaSet, version
 * and state. */
struct board_pod {
	uint32_t name;          /* offset in names, 0 = empty slot */
	uint32_t hash;
	int32_t rs;             /* index in board_rec.rsets */
	int32_t version;
	int8_t state;
	int8_t gone;            /* deleted: a tombstone */
};

/* A ReplicaSet seen (on_rs, or a pod's owner): its live pods by state
 * and its role in a progressive rollout. */
struct board_rs {
	uint32_t name;          /* offset in names */
	uint32_t hash;
	int32_t version;
	uint32_t role;          /* text, 0 = "" */
	int32_t n[BOARD_NSTATES];
};

struct board_rec {
	struct board_run *run;
	size_t cap_frames, cap_groups, cap_ticks;
	struct strbuf text;          /* the run's texts */
	struct strbuf names;         /* pod names */
	struct board_pod *pods;      /* open addressing, power of 2 */
	size_t cap_pods, used_pods;  /* used: live and tombstones */
	struct board_rs *rsets;      /* in the order seen */
	size_t n_rs, cap_rs;
	int32_t n_versions;
	struct board_prog prog;      /* the last Deployment view's */
	struct deploy_config spec;   /* spec.* the user set so far */
	size_t next_event;           /* cfg->events not yet in spec */
	unsigned char *rejected;     /* per cfg event: an apply refused */
	sim_time_t t_ns;             /* the instant being collected */
	int dirty;                   /* something changed in it */
	struct world_counts counts;
	uint32_t status, decision, why;  /* current texts */
	struct strbuf dec_now, why_now;  /* collected in this instant */
	int rc;                      /* the first failure, or 0 */
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return RSIM_ENOMEM;
		ncap *= 2;
	}
	n = rsim_realloc(*arr, ncap * elem);
	if (!n)
		return RSIM_ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

/* Adds s to the text pool unless it equals the text at cur; returns the
 * offset to use, cur on failure (b->rc set). */
static uint32_t intern(struct board_rec *b, uint32_t cur, const char *s)
{
	size_t off = b->text.len;

	if (strcmp(b->text.buf + cur, s) == 0)
		return cur;
	if (off > UINT32_MAX - strlen(s) - 1 ||
	    strbuf_add(&b->text, s, strlen(s) + 1)) {
		b->rc = RSIM_ENOMEM;
		return cur;
	}
	return (uint32_t)off;
}

/* Brings b->spec up to the user's actions at or before t. */
static void spec_advance(struct board_rec *b, sim_time_t t_ns)
{
	const struct world_config *cfg = b->run->cfg;

	for (; b->next_event < cfg->n_events &&
	       cfg->events[b->next_event].at_ns <= t_ns; b->next_event++) {
		const struct world_event *e = &cfg->events[b->next_event];
		const struct deploy_config *v = &e->patch.v;
		uint32_t m = e->patch.mask;

		if (e->action == ACTION_SCALE)
			b->spec.replicas = e->replicas;
		if (e->action != ACTION_APPLY || b->rejected[b->next_event])
			continue;
		if (m & PATCH_REPLICAS)
			b->spec.replicas = v->replicas;
		if (m & PATCH_STRATEGY_TYPE)
			b->spec.strategy = v->strategy;
		if (m & PATCH_MAX_SURGE)
			b->spec.max_surge = v->max_surge;
		if (m & PATCH_MAX_UNAVAILABLE)
			b->spec.max_unavailable = v->max_unavailable;
	}
}

/* The Invalid event of a rejected apply at t: that apply changes
 * nothing (deployment.c deploy_apply refuses the merged object). */
static void reject_apply(struct board_rec *b, sim_time_t t_ns)
{
	const struct world_config *cfg = b->run->cfg;
	size_t i;

	for (i = b->next_event; i < cfg->n_events; i++) {
		const struct world_event *e = &cfg->events[i];

		if (e->at_ns > t_ns)
			return;
		if (e->at_ns == t_ns && e->action == ACTION_APPLY &&
		    !b->rejected[i]) {
			b->rejected[i] = 1;
			return;
		}
	}
}

/* Where a role's group goes among a version's: the stable side first
 * ("stable", "active", "primary"), then the canary side, then the
 * ReplicaSets on no side (all of a Deployment's). */
static int role_rank(const char *role)
{
	if (!*role)
		return 2;
	return strcmp(role, "stable") == 0 || strcmp(role, "active") == 0 ||
	       strcmp(role, "primary") == 0 ? 0 : 1;
}

/* The pods of version v's ReplicaSets of rank k into g; 1 if any. */
static int group_of(const struct board_rec *b, int32_t v, int k,
		    struct board_group *g)
{
	size_t i;
	int s, any = 0;

	memset(g, 0, sizeof(*g));
	g->version = v;
	for (i = 0; i < b->n_rs; i++) {
		const struct board_rs *rs = &b->rsets[i];

		if (rs->version != v ||
		    role_rank(b->text.buf + rs->role) != k)
			continue;
		for (s = 0; s < BOARD_NSTATES; s++) {
			g->n[s] += rs->n[s];
			any |= rs->n[s] != 0;
		}
		if (!g->role)
			g->role = rs->role;
	}
	return any;
}

/* The groups of the frame being made, from the pods seen: by version,
 * then by role. */
static int groups_from_pods(struct board_rec *b, struct board_frame *f)
{
	struct board_run *r = b->run;
	struct board_group g;
	int32_t v;
	int k;

	for (v = 0; v < b->n_versions; v++)
		for (k = 0; k < 3; k++) {
			if (!group_of(b, v, k, &g))
				continue;
			if (grow((void **)&r->groups, &b->cap_groups,
				 r->n_groups + 1, sizeof(*r->groups)))
				return RSIM_ENOMEM;
			r->groups[r->n_groups++] = g;
			f->ng++;
		}
	return 0;
}

/* Without pods: the old and the new ReplicaSets' pods from the counts
 * (pending pods counted as the new ones' first; terminating as old). */
static int groups_from_counts(struct board_rec *b, struct board_frame *f)
{
	struct board_run *r = b->run;
	const struct world_counts *c = &b->counts;
	int32_t pend = c->pending, nn = c->new_pods - c->new_ready;
	int32_t np = pend < nn ? pend : nn;
	struct board_group g[2] = { { BOARD_OLD, 0, { 0 } },
				    { BOARD_NEW, 0, { 0 } } };
	int i;

	g[1].n[BOARD_READY] = c->new_ready;
	g[1].n[BOARD_PENDING] = np;
	g[1].n[BOARD_RUNNING] = nn - np;
	g[0].n[BOARD_READY] = c->old_ready;
	g[0].n[BOARD_PENDING] = pend - np;
	g[0].n[BOARD_RUNNING] = c->old_pods - c->old_ready - (pend - np);
	g[0].n[BOARD_TERMINATING] = c->terminating;
	for (i = 0; i < 2; i++) {
		if (!g[i].n[BOARD_READY] && !g[i].n[BOARD_PENDING] &&
		    !g[i].n[BOARD_RUNNING] && !g[i].n[BOARD_TERMINATING])
			continue;
		if (grow((void **)&r->groups, &b->cap_groups, r->n_groups + 1,
			 sizeof(*r->groups)))
			return RSIM_ENOMEM;
		r->groups[r->n_groups++] = g[i];
		f->ng++;
	}
	return 0;
}

/* The version of the ReplicaSet whose name is the text at off, -1. */
static int32_t rs_version(const struct board_rec *b, uint32_t off)
{
	const char *name = b->text.buf + off;
	size_t i;

	if (!*name)
		return -1;
	for (i = 0; i < b->n_rs; i++)
		if (strcmp(b->names.buf + b->rsets[i].name, name) == 0)
			return b->rsets[i].version;
	return -1;
}

/* A progressive strategy's part of frame f: the last Deployment view's
 * fields; Argo canary's own maxSurge and maxUnavailable for the bounds
 * (utils/replicaset/replicaset.go MaxSurge, MaxUnavailable: resolved as
 * a Deployment's, resolveFenceposts). */
static void prog_frame(const struct board_rec *b, struct board_frame *f)
{
	const struct canary_config *c = &b->spec.prog.canary;

	f->prog = b->prog;
	f->prog.stable_version = rs_version(b, b->prog.stable_rs);
	f->prog.canary_version = rs_version(b, b->prog.canary_rs);
	if (f->strategy != STRATEGY_CANARY)
		return;
	f->max_surge = c->max_surge;
	f->max_unavailable = c->max_unavailable;
	f->surge = deploy_max_surge(STRATEGY_ROLLING_UPDATE, f->replicas,
				    c->max_surge, c->max_unavailable);
	f->unavailable = deploy_max_unavailable(STRATEGY_ROLLING_UPDATE,
						f->replicas, c->max_surge,
						c->max_unavailable);
}

/* 1 when f shows what the frame before it showed. */
static int same_as_last(const struct board_run *r,
			const struct board_frame *f)
{
	const struct board_frame *p;

	if (!r->n_frames)
		return 0;
	p = &r->frames[r->n_frames - 1];
	if (f->decided || p->ng != f->ng || p->status != f->status ||
	    p->decision != f->decision || p->why != f->why ||
	    p->replicas != f->replicas || p->surge != f->surge ||
	    p->unavailable != f->unavailable || p->strategy != f->strategy ||
	    memcmp(&p->max_surge, &f->max_surge, sizeof(f->max_surge)) ||
	    memcmp(&p->max_unavailable, &f->max_unavailable,
		   sizeof(f->max_unavailable)) ||
	    memcmp(&p->counts, &f->counts, sizeof(f->counts)) ||
	    memcmp(&p->prog, &f->prog, sizeof(f->prog)))
		return 0;
	return memcmp(&r->groups[p->g0], &r->groups[f->g0],
		      f->ng * sizeof(*r->groups)) == 0;
}

/* Ends the instant being collected: a frame, if it shows a change. */
static void flush(struct board_rec *b)
{
	struct board_run *r = b->run;
	struct board_frame f = { 0 };
	int decided = b->dec_now.len > 0 || b->why_now.len > 0;

	if (!b->dirty || b->rc)
		return;
	b->dirty = 0;
	spec_advance(b, b->t_ns);
	if (b->dec_now.len)
		b->decision = intern(b, b->decision, b->dec_now.buf);
	if (b->why_now.len)
		b->why = intern(b, b->why, b->why_now.buf);
	strbuf_reset(&b->dec_now);
	strbuf_reset(&b->why_now);
	f.t_ns = b->t_ns;
	f.counts = b->counts;
	f.strategy = b->spec.strategy;
	f.replicas = b->spec.replicas;
	f.surge = deploy_max_surge(f.strategy, f.replicas, b->spec.max_surge,
				   b->spec.max_unavailable);
	f.unavailable = deploy_max_unavailable(f.strategy, f.replicas,
					       b->spec.max_surge,
					       b->spec.max_unavailable);
	f.max_surge = b->spec.max_surge;
	f.max_unavailable = b->spec.max_unavailable;
	prog_frame(b, &f);
	f.status = b->status;
	f.decision = b->decision;
	f.why = b->why;
	f.decided = decided;
	f.g0 = (uint32_t)r->n_groups;
	if ((r->per_pod ? groups_from_pods(b, &f) : groups_from_counts(b, &f)) ||
	    grow((void **)&r->frames, &b->cap_frames, r->n_frames + 1,
		 sizeof(*r->frames))) {
		b->rc = RSIM_ENOMEM;
		return;
	}
	if (same_as_last(r, &f))
		r->n_groups = f.g0;
	else
		r->frames[r->n_frames++] = f;
}

/* Every callback starts here: a later instant ends the current one. */
static void at(struct board_rec *b, sim_time_t t_ns)
{
	if (t_ns != b->t_ns) {
		flush(b);
		b->t_ns = t_ns;
	}
	b->dirty = 1;
}

/* kubectl's STATUS and READY as a board state. */
static enum board_state pod_state(const struct world_pod_view *p)
{
	const char *s = p->status;

	if (strcmp(s, "Terminating") == 0)
		return BOARD_TERMINATING;
	if (strcmp(s, "Running") == 0)
		return p->ready >= p->containers && p->containers > 0 ?
		       BOARD_READY : BOARD_RUNNING;
	if (strcmp(s, "Pending") == 0 || strcmp(s, "ContainerCreating") == 0 ||
	    strcmp(s, "PodInitializing") == 0 || strncmp(s, "Init:", 5) == 0)
		return BOARD_PENDING;
	return BOARD_FAILING;
}

/* The slot of the pod called name: its own, or the empty one where it
 * would go (name == 0). */
static struct board_pod *pod_slot(struct board_rec *b, const char *name,
				  uint32_t h)
{
	size_t mask = b->cap_pods - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		struct board_pod *p = &b->pods[i];

		if (!p->name || (p->hash == h && !p->gone &&
				 strcmp(b->names.buf + p->name, name) == 0))
			return p;
	}
}

/* Doubles the table (or drops its tombstones) when it is half used. */
static int pods_rehash(struct board_rec *b)
{
	struct board_pod *old = b->pods;
	size_t n = b->cap_pods, i;

	if (b->used_pods + 1 <= b->cap_pods / 2)
		return 0;
	b->cap_pods = n ? n * 2 : 256;
	b->pods = rsim_calloc(b->cap_pods, sizeof(*b->pods));
	if (!b->pods) {
		b->pods = old;
		b->cap_pods = n;
		return RSIM_ENOMEM;
	}
	b->used_pods = 0;
	for (i = 0; i < n; i++)
		if (old[i].name && !old[i].gone) {
			*pod_slot(b, b->names.buf + old[i].name,
				  old[i].hash) = old[i];
			b->used_pods++;
		}
	rsim_free(old);
	return 0;
}

/* The index of the ReplicaSet called name (added with version when
 * new), -1 out of memory. */
static int32_t rs_find(struct board_rec *b, const char *name, int32_t version)
{
	uint32_t h = hash_fnv32a(name, strlen(name));
	size_t i, len = strlen(name);
	struct board_rs *rs;

	for (i = 0; i < b->n_rs; i++)
		if (b->rsets[i].hash == h &&
		    strcmp(b->names.buf + b->rsets[i].name, name) == 0)
			return (int32_t)i;
	if (b->n_rs >= INT32_MAX ||
	    grow((void **)&b->rsets, &b->cap_rs, b->n_rs + 1,
		 sizeof(*b->rsets)) ||
	    b->names.len > UINT32_MAX - len - 1 ||
	    strbuf_add(&b->names, name, len + 1))
		return -1;
	rs = &b->rsets[b->n_rs];
	memset(rs, 0, sizeof(*rs));
	rs->name = (uint32_t)(b->names.len - len - 1);
	rs->hash = h;
	rs->version = version;
	return (int32_t)b->n_rs++;
}

static int32_t version_of(const struct board_rec *b, int32_t image)
{
	return image >= 0 && image < b->n_versions ? image : 0;
}

static void on_pod(void *ctx, sim_time_t t_ns, const struct world_pod_view *v)
{
	struct board_rec *b = ctx;
	uint32_t h = hash_fnv32a(v->name, strlen(v->name));
	int32_t ver = version_of(b, v->image), rs;
	struct board_pod *p;

	at(b, t_ns);
	b->run->per_pod = 1;
	if (b->rc || pods_rehash(b)) {
		b->rc = RSIM_ENOMEM;
		return;
	}
	p = pod_slot(b, v->name, h);
	if (p->name)
		b->rsets[p->rs].n[p->state]--;
	if (v->deleted) {
		if (p->name)
			p->gone = 1;
		return;
	}
	if (!p->name) {
		if (b->names.len > UINT32_MAX - strlen(v->name) - 1 ||
		    strbuf_add(&b->names, v->name, strlen(v->name) + 1)) {
			b->rc = RSIM_ENOMEM;
			return;
		}
		p->name = (uint32_t)(b->names.len - strlen(v->name) - 1);
		p->hash = h;
		b->used_pods++;
	}
	if ((rs = rs_find(b, v->rs, ver)) < 0) {
		b->rc = RSIM_ENOMEM;
		p->gone = 1;
		return;
	}
	p->rs = rs;
	p->version = ver;
	p->state = (int8_t)pod_state(v);
	b->rsets[rs].n[p->state]++;
}

/* A ReplicaSet's role (a progressive rollout's side) as it changes. */
static void on_rs(void *ctx, sim_time_t t_ns, const struct world_rs_view *v)
{
	struct board_rec *b = ctx;
	int32_t rs;

	at(b, t_ns);
	if (b->rc)
		return;
	if ((rs = rs_find(b, v->name, version_of(b, v->image))) < 0) {
		b->rc = RSIM_ENOMEM;
		return;
	}
	b->rsets[rs].role = intern(b, b->rsets[rs].role,
				   v->role ? v->role : "");
}

static void on_counts(void *ctx, sim_time_t t_ns, const struct world_counts *c)
{
	struct board_rec *b = ctx;

	at(b, t_ns);
	b->counts = *c;
}

/* Adds a line to an instant's texts. */
static void add_line(struct board_rec *b, struct strbuf *sb, const char *s)
{
	if ((sb->len && strbuf_addch(sb, '\n')) || strbuf_addstr(sb, s))
		b->rc = RSIM_ENOMEM;
}

static void on_event(void *ctx, sim_time_t t_ns, const char *type,
		     const char *reason, const char *object,
		     const char *message)
{
	struct board_rec *b = ctx;

	(void)type;
	if (strcmp(reason, "ScalingReplicaSet") == 0 ||
	    strncmp(object, "rollout/", 8) == 0 ||
	    strncmp(object, "canary/", 7) == 0) {
		at(b, t_ns);
		add_line(b, &b->dec_now, message);
	} else if (strcmp(reason, "Invalid") == 0 &&
		   strncmp(object, "deployment/", 11) == 0) {
		at(b, t_ns);
		reject_apply(b, t_ns);
	}
}

static void on_decision(void *ctx, sim_time_t t_ns, enum world_actor who,
			const char *object, const char *text)
{
	struct board_rec *b = ctx;

	(void)object;
	if (who != ACTOR_DEPLOYMENT)
		return;
	at(b, t_ns);
	b->run->has_why = 1;
	add_line(b, &b->why_now, text);
}

/* A progressive strategy's fields of the Deployment view; its status
 * line is the phase as `kubectl argo rollouts status --watch` prints it
 * ("Paused - CanaryPauseStep"), when the controller gives one. */
static void prog_deploy(struct board_rec *b, const struct world_deploy_view *d,
			char *line, size_t n)
{
	struct board_prog *p = &b->prog;

	p->on = 1;
	p->weight = d->weight;
	p->step = d->step;
	p->n_steps = d->n_steps;
	p->stable_rs = intern(b, p->stable_rs, d->stable_rs);
	p->canary_rs = intern(b, p->canary_rs, d->canary_rs);
	p->stable_role = intern(b, p->stable_role, d->stable_role);
	p->canary_role = intern(b, p->canary_role, d->canary_role);
	if (d->phase && *d->phase)
		snprintf(line, n, "%s%s%s", d->phase,
			 d->message && *d->message ? " - " : "",
			 d->message ? d->message : "");
}

/* The line `kubectl rollout status` would print for this state. */
static void on_deploy(void *ctx, sim_time_t t_ns,
		      const struct world_deploy_view *d)
{
	struct board_rec *b = ctx;
	char line[512];

	at(b, t_ns);
	b->run->has_status = 1;
	teach_status_line(d, line, sizeof(line));
	if (d->progressive)
		prog_deploy(b, d, line, sizeof(line));
	b->status = intern(b, b->status, line);
}

static void on_traffic(void *ctx, const struct traffic_row *row)
{
	struct board_rec *b = ctx;
	struct board_run *r = b->run;
	struct board_tick *k;
	int o;

	if (b->rc || grow((void **)&r->ticks, &b->cap_ticks, r->n_ticks + 1,
			  sizeof(*r->ticks))) {
		b->rc = RSIM_ENOMEM;
		return;
	}
	k = &r->ticks[r->n_ticks++];
	k->t_ns = row->t_ns;
	k->requests = row->requests;
	k->errors = 0;
	for (o = 0; o < OUTCOME_COUNT; o++)
		if (o != OUTCOME_OK)
			k->errors += row->outcome[o];
}

static int rec_init(struct board_rec *b, const struct world_config *cfg,
		    struct board_run *r)
{
	memset(r, 0, sizeof(*r));
	memset(b, 0, sizeof(*b));
	r->cfg = cfg;
	b->run = r;
	strbuf_init(&b->text);
	strbuf_init(&b->names);
	strbuf_init(&b->dec_now);
	strbuf_init(&b->why_now);
	b->spec = cfg->deployment;
	b->t_ns = -1;
	b->n_versions = cfg->n_images > 0 ? (int32_t)cfg->n_images : 1;
	b->prog.step = -1;
	b->rejected = rsim_calloc(cfg->n_events + 1, 1);
	/* offset 0 of each pool is "" */
	if (!b->rejected || strbuf_addch(&b->text, '\0') ||
	    strbuf_addch(&b->names, '\0'))
		return RSIM_ENOMEM;
	return 0;
}

static void rec_release(struct board_rec *b)
{
	strbuf_release(&b->names);
	strbuf_release(&b->dec_now);
	strbuf_release(&b->why_now);
	rsim_free(b->pods);
	rsim_free(b->rsets);
	rsim_free(b->rejected);
}

/* The end of a recording: r checked, released on failure. */
static int rec_result(struct board_run *r, const struct world_config *cfg,
		      int rc, struct rsim_error *err)
{
	if (!rc && (!r->text || !r->n_frames))
		rc = r->text ? RSIM_EINTERNAL : RSIM_ENOMEM;
	if (rc) {
		board_run_release(r);
		return rsim_error_set(err, rc, cfg->name, "", rc == RSIM_ENOMEM ?
				      "out of memory" : "the run has no frame");
	}
	return 0;
}

int board_rec_open(const struct world_config *cfg, struct board_run *r,
		   struct world_observer *obs, struct board_rec **out)
{
	struct board_rec *b = rsim_calloc(1, sizeof(*b));
	int rc;

	memset(obs, 0, sizeof(*obs));
	*out = b;
	if (!b) {
		memset(r, 0, sizeof(*r));
		return RSIM_ENOMEM;
	}
	rc = rec_init(b, cfg, r);
	obs->ctx = b;
	obs->on_pod = on_pod;
	obs->on_rs = on_rs;
	obs->on_counts = on_counts;
	obs->on_event = on_event;
	obs->on_deploy = on_deploy;
	obs->on_decision = on_decision;
	obs->on_traffic = on_traffic;
	if (rc)
		b->rc = rc;
	return rc;
}

int board_rec_close(struct board_rec *b, struct rsim_error *err)
{
	struct board_run *r = b->run;
	const struct world_config *cfg = r->cfg;
	int rc;

	flush(b);
	rc = b->rc;
	r->text_len = b->text.len;
	r->text = strbuf_detach(&b->text, NULL);
	rec_release(b);
	rsim_free(b);
	return rec_result(r, cfg, rc, err);
}

int board_record(const struct world_config *cfg, struct board_run *r,
		 struct rsim_error *err)
{
	struct board_rec *b;
	struct world_observer obs;
	int rc = board_rec_open(cfg, r, &obs, &b);

	if (!b)
		return rsim_error_set(err, rc, cfg->name, "",
				      "out of memory");
	if (!rc)
		rc = teach_run(cfg, &obs, cfg->name, NULL, NULL, err);
	if (rc)
		b->rc = rc;
	return board_rec_close(b, err);
}

void board_run_release(struct board_run *r)
{
	rsim_free(r->frames);
	rsim_free(r->groups);
	rsim_free(r->ticks);
	rsim_free(r->text);
	memset(r, 0, sizeof(*r));
}

const char *board_text(const struct board_run *r, uint32_t off)
{
	return off < r->text_len ? r->text + off : "";
}

size_t board_frame_at(const struct board_run *r, sim_time_t t_ns)
{
	size_t lo = 0, hi = r->n_frames;   /* frames[lo].t <= t < [hi].t */

	if (r->frames[0].t_ns > t_ns)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->frames[mid].t_ns <= t_ns)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

long board_next_decision(const struct board_run *r, sim_time_t t_ns)
{
	size_t i;

	for (i = 0; i < r->n_frames; i++)
		if (r->frames[i].t_ns > t_ns && r->frames[i].decided)
			return (long)i;
	return -1;
}

const struct board_tick *board_tick_at(const struct board_run *r,
				       sim_time_t t_ns)
{
	size_t lo = 0, hi = r->n_ticks;  /* the ticks before lo ended by t */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ticks[mid].t_ns + SIM_NS_PER_S <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &r->ticks[lo - 1] : NULL;
}
