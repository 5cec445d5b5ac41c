/* deploy_explain.c - the Deployment controller's steps in words, with
 * their arithmetic (rollsim explain; docs/kubernetes.md §1-§3, §5).
 *
 * deployment.c calls these before it writes a step, and only when an
 * observer of decisions is set; they read the ReplicaSets as the step
 * read them and the sizes it chose, and say which rule chose them
 * (rolling.go reconcileNewReplicaSet / reconcileOldReplicaSets, sync.go
 * scale).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "world_impl.h"

#define TEXT_MAX 640

struct roll_sums {
	int32_t all;       /* specs of every ReplicaSet */
	int32_t avail;     /* availableReplicas of every ReplicaSet */
	int32_t old;       /* specs of the old ReplicaSets */
};

static void roll_sums(const struct world *w, int32_t nr, const int32_t *idx,
		      int32_t n, struct roll_sums *s)
{
	int32_t i;

	s->all = w->rs[nr].spec;
	s->avail = w->rs[nr].available;
	s->old = 0;
	for (i = 0; i < n; i++) {
		s->all += w->rs[idx[i]].spec;
		s->avail += w->rs[idx[i]].available;
		s->old += w->rs[idx[i]].spec;
	}
}

static void say(struct world *w, const char *text)
{
	char obj[DEPLOY_NAME_MAX + 16];

	snprintf(obj, sizeof(obj), "deployment/%s", w->dep.spec.name);
	decide(w, ACTOR_DEPLOYMENT, obj, "%s", text);
}

/* "maxSurge 25% of 5 = 1.25, rounded up: 2 -> at most 5 + 2 = 7 pods" */
static int surge_bound(const struct world *w, char *buf, size_t n)
{
	char f[160];
	int32_t r = w->dep.spec.replicas, s = deploy_surge(w);

	decide_field_text(&w->dep.spec, 1, DECIDE_COLON, f, sizeof(f));
	return snprintf(buf, n, "%s -> at most %d + %d = %d pods", f, r, s,
			deploy_max_total(r, s));
}

/* "minimum available 5 - 1 = 4 (maxUnavailable 25% of 5 = ...)" */
static int min_avail(const struct world *w, char *buf, size_t n)
{
	char f[256];
	int32_t r = w->dep.spec.replicas, u = deploy_unavailable(w);

	decide_field_text(&w->dep.spec, 0, DECIDE_COLON, f, sizeof(f));
	return snprintf(buf, n, "minimum available %d - %d = %d (%s)", r, u,
			r - u, f);
}

static void cat(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static void explain_new_up(struct world *w, int32_t nr,
			   const struct rs_counts *newc,
			   const struct roll_sums *s)
{
	char t[TEXT_MAX];
	int32_t r = w->dep.spec.replicas, from = w->rs[nr].spec;
	int32_t room = deploy_max_total(r, deploy_surge(w)) - s->all;

	surge_bound(w, t, sizeof(t));
	cat(t, sizeof(t), "; the ReplicaSets ask for %d -> room for %d", s->all,
	    room);
	if (room > r - from)
		cat(t, sizeof(t), ", the new ReplicaSet needs only %d - %d = %d",
		    r, from, r - from);
	cat(t, sizeof(t), " -> scale up new ReplicaSet %s from %d to %d",
	    w->rs[nr].name, from, newc->spec);
	say(w, t);
}

static void explain_old_down(struct world *w, const struct rs_counts *old,
			     const int32_t *idx, int32_t n,
			     const struct roll_sums *s,
			     const struct rolling_result *r)
{
	char t[TEXT_MAX];
	int32_t i, m = w->dep.spec.replicas - deploy_unavailable(w);
	const char *sep = " -> scale down";

	min_avail(w, t, sizeof(t));
	if (r->cleaned > 0)
		cat(t, sizeof(t), "; %d old pod%s not available: they go first "
		    "(cleanupUnhealthyReplicas)", r->cleaned,
		    r->cleaned == 1 ? " is" : "s are");
	if (r->scaled > 0)
		cat(t, sizeof(t), "; %d available -> %d - %d = %d old pod%s "
		    "may go", s->avail, s->avail, m, s->avail - m,
		    s->avail - m == 1 ? "" : "s");
	if (n > 1)
		sep = " -> scale down, oldest first,";
	for (i = 0; i < n; i++) {
		int32_t before = w->rs[idx[i]].spec;

		if (old[i].spec == before)
			continue;
		cat(t, sizeof(t), "%s old ReplicaSet %s from %d to %d", sep,
		    w->rs[idx[i]].name, before, old[i].spec);
		sep = ",";
	}
	say(w, t);
}

/* Nothing to do: say which bound holds the rollout. */
static void explain_wait(struct world *w, int32_t nr,
			 const struct roll_sums *s)
{
	char t[TEXT_MAX];
	int32_t r = w->dep.spec.replicas, spec = w->rs[nr].spec;
	int32_t m = r - deploy_unavailable(w);
	int32_t new_unav = spec - w->rs[nr].available;
	int32_t max_total = deploy_max_total(r, deploy_surge(w));

	t[0] = '\0';
	if (spec == r && s->old == 0) {
		snprintf(t, sizeof(t), "new ReplicaSet %s asks for all %d "
			 "replicas, no old ReplicaSet has any: nothing to do",
			 w->rs[nr].name, r);
		say(w, t);
		return;
	}
	if (spec < r)
		snprintf(t, sizeof(t), "the ReplicaSets ask for %d, the surge "
			 "bound is %d: the new ReplicaSet cannot grow; ",
			 s->all, max_total);
	if (s->old > 0 && s->all - m - new_unav <= 0)
		cat(t, sizeof(t), "minimum available %d and %d new pod%s not "
		    "available yet (%d - %d - %d = %d): no old pod may go",
		    m, new_unav, new_unav == 1 ? "" : "s", s->all, m,
		    new_unav, s->all - m - new_unav);
	else if (s->old > 0)
		cat(t, sizeof(t), "%d available, minimum available %d: no "
		    "old pod may go", s->avail, m);
	cat(t, sizeof(t), ": wait");
	say(w, t);
}

void explain_rolling(struct world *w, int32_t nr,
		     const struct rs_counts *newc, const struct rs_counts *old,
		     const int32_t *idx, int32_t n,
		     const struct rolling_result *r)
{
	struct roll_sums s;
	char t[TEXT_MAX];

	roll_sums(w, nr, idx, n, &s);
	switch (r->action) {
	case ROLLING_NEW_UP:
		explain_new_up(w, nr, newc, &s);
		break;
	case ROLLING_NEW_DOWN:
		snprintf(t, sizeof(t), "new ReplicaSet %s asks for %d, more "
			 "than the %d replicas -> scale it down to %d",
			 w->rs[nr].name, w->rs[nr].spec,
			 w->dep.spec.replicas, newc->spec);
		say(w, t);
		break;
	case ROLLING_OLD_DOWN:
		explain_old_down(w, old, idx, n, &s, r);
		break;
	default:
		explain_wait(w, nr, &s);
	}
}

/* A template change during an unfinished rollout: several old
 * ReplicaSets still ask for pods, or the newest of them is not fully
 * available. */
static int is_rollover(const struct world *w, int32_t nr)
{
	int32_t i, active = 0, newest = -1;

	for (i = 0; i < w->n_rs; i++)
		if (i != nr && !w->rs[i].deleted && w->rs[i].spec > 0) {
			active++;
			if (newest < 0 ||
			    w->rs[i].revision > w->rs[newest].revision)
				newest = i;
		}
	return active > 1 ||
	       (newest >= 0 && w->rs[newest].available < w->rs[newest].spec);
}

void explain_new_rs(struct world *w, int32_t replicas)
{
	char t[TEXT_MAX];
	int32_t i, all = 0, nr = w->dep.new_rs, r = w->dep.spec.replicas;
	int32_t room;

	for (i = 0; i < w->n_rs; i++)
		if (i != nr && !w->rs[i].deleted)
			all += w->rs[i].spec;
	if (w->dep.spec.strategy == STRATEGY_RECREATE && w->n_rs > 1) {
		snprintf(t, sizeof(t), "Recreate: no old pod is left -> "
			 "create new ReplicaSet %s (revision %d) at all %d "
			 "replicas", w->rs[nr].name, w->rs[nr].revision,
			 replicas);
		say(w, t);
		return;
	}
	if (all == 0) {
		snprintf(t, sizeof(t), "no ReplicaSet yet -> create "
			 "ReplicaSet %s (revision %d) at %d replicas",
			 w->rs[nr].name, w->rs[nr].revision, replicas);
		say(w, t);
		return;
	}
	surge_bound(w, t, sizeof(t));
	room = deploy_max_total(r, deploy_surge(w)) - all;
	cat(t, sizeof(t), "; the ReplicaSets ask for %d -> room for %d", all,
	    room > 0 ? room : 0);
	if (replicas > 0)
		cat(t, sizeof(t), " -> create new ReplicaSet %s (revision %d) "
		    "and scale it up from 0 to %d", w->rs[nr].name,
		    w->rs[nr].revision, replicas);
	else
		cat(t, sizeof(t), " -> create new ReplicaSet %s (revision %d) "
		    "at 0 replicas, to grow as old pods go", w->rs[nr].name,
		    w->rs[nr].revision);
	if (is_rollover(w, nr))
		cat(t, sizeof(t), " (a rollover: the previous rollout had not "
		    "finished; its ReplicaSet is an old one now and goes "
		    "down with the others, oldest first)");
	say(w, t);
}

/* One ReplicaSet's share (GetProportion): "round(8 x 19 / 13 = 11.69)
 * - 8 = +4". */
static void share_text(const struct world *w, const struct rs_scale_in *in,
		       char *buf, size_t n)
{
	int32_t r = w->dep.spec.replicas;
	int32_t allowed = deploy_max_total(r, deploy_surge(w));
	int32_t annot = in->max_annot >= 0 ? in->max_annot : w->dep.st_replicas;
	double v;

	buf[0] = '\0';
	if (r == 0 || annot <= 0 || in->spec == 0)
		return;
	v = (double)in->spec * (double)allowed / (double)annot;
	snprintf(buf, n, " (its share: round(%d x %d / %d = %.2f) - %d)",
		 in->spec, allowed, annot, v, in->spec);
}

static int32_t active_count(const struct rs_scale_in *in, int32_t n,
			    int32_t *sum)
{
	int32_t i, k = 0;

	*sum = 0;
	for (i = 0; i < n; i++)
		if (in[i].spec > 0) {
			k++;
			*sum += in[i].spec;
		}
	return k;
}

void explain_scale(struct world *w, const struct rs_scale_in *in,
		   const int32_t *out, const int32_t *idx, int32_t n,
		   int32_t new_pos)
{
	char t[TEXT_MAX], sh[96];
	int32_t i, sum, r = w->dep.spec.replicas;
	int32_t active = active_count(in, n, &sum), changes = 0;
	int32_t allowed = r > 0 ? deploy_max_total(r, deploy_surge(w)) : 0;
	const char *sep = " -> ";

	snprintf(t, sizeof(t), "%s", w->dep.spec.paused
		 ? "paused: no rollout step, only scaling to the replicas"
		 : "replicas changed during a rollout: scaling only");
	for (i = 0; i < n; i++)
		changes += out[i] >= 0 && out[i] != in[i].spec;
	if (changes == 0) {
		cat(t, sizeof(t), "; the ReplicaSets already ask for %d: "
		    "nothing to scale", sum);
		say(w, t);
		return;
	}
	if (active <= 1)
		cat(t, sizeof(t), "; at most one ReplicaSet is active: it "
		    "gets all %d", r);
	else if (new_pos >= 0 && in[new_pos].spec == r &&
		 in[new_pos].desired_annot == r && in[new_pos].avail == r)
		cat(t, sizeof(t), "; the new ReplicaSet is saturated: old "
		    "ones to 0");
	else
		cat(t, sizeof(t), "; proportional: allowed %d + %d = %d, "
		    "the active ReplicaSets ask for %d -> %+d spread by size, "
		    "the largest takes the leftover", r, allowed - r, allowed,
		    sum, allowed - sum);
	for (i = 0; i < n; i++) {
		if (out[i] < 0 || out[i] == in[i].spec)
			continue;
		share_text(w, &in[i], sh, sizeof(sh));
		if (active <= 1)
			sh[0] = '\0';
		cat(t, sizeof(t), "%s%s %s from %d to %d%s", sep,
		    i == new_pos ? "new ReplicaSet" : "old ReplicaSet",
		    w->rs[idx[i]].name, in[i].spec, out[i], sh);
		sep = ", ";
	}
	say(w, t);
}

void explain_recreate(struct world *w, int32_t nr, enum recreate_step step)
{
	char t[TEXT_MAX];
	int32_t i, left = 0, term = 0;
	const char *sep = " -> scale down";

	switch (step) {
	case RECREATE_OLD_DOWN:
		snprintf(t, sizeof(t), "Recreate: every old pod goes before "
			 "any new one is created");
		for (i = 0; i < w->n_rs; i++)
			if (i != nr && !w->rs[i].deleted && w->rs[i].spec > 0) {
				cat(t, sizeof(t), "%s old ReplicaSet %s from "
				    "%d to 0", sep, w->rs[i].name,
				    w->rs[i].spec);
				sep = ",";
			}
		break;
	case RECREATE_WAIT:
		for (i = 0; i < w->n_rs; i++)
			if (i != nr) {
				left += w->rs[i].existing;
				term += w->rs[i].existing - w->rs[i].active;
			}
		snprintf(t, sizeof(t), "Recreate: %d old pod%s still exist%s "
			 "(%d terminating): wait until none is left", left,
			 left == 1 ? "" : "s", left == 1 ? "s" : "", term);
		break;
	default:
		snprintf(t, sizeof(t), "Recreate: no old pod is left -> scale "
			 "new ReplicaSet %s from %d to %d", w->rs[nr].name,
			 w->rs[nr].spec, w->dep.spec.replicas);
	}
	say(w, t);
}

void explain_deadline(struct world *w)
{
	char t[TEXT_MAX], a[32], b[32], c[32];
	const struct deploy_state *d = &w->dep;
	sim_time_t due = sim_time_add(d->progress_update_ns,
				      d->spec.progress_deadline_ns);

	decide_hundredths(d->progress_update_ns / (SIM_NS_PER_S / 100), a,
			  sizeof(a));
	decide_hundredths(d->spec.progress_deadline_ns / (SIM_NS_PER_S / 100),
			  b, sizeof(b));
	decide_hundredths(due / (SIM_NS_PER_S / 100), c, sizeof(c));
	snprintf(t, sizeof(t), "last progress at %s s + progressDeadlineSeconds "
		 "%s = %s s, now past it -> Progressing False "
		 "ProgressDeadlineExceeded; nothing is rolled back: the "
		 "controller keeps trying (kubectl rollout undo is the user's "
		 "call)", a, b, c);
	say(w, t);
}
