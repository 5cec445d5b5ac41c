/* canary_step.c - the arithmetic of Argo Rollouts' basic canary, without
 * a world (canary_step.h; docs/progressive.md §1). Each function follows
 * the argo-rollouts function its comment names, in
 * utils/replicaset/canary.go unless said otherwise.
 */
#include <math.h>
#include <stdio.h>

#include "canary_step.h"

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* utils/replicaset/replicaset.go resolveFenceposts; the deprecated
 * intstr.GetValueFromIntOrPercent reads every string as a percentage,
 * which the loader turns into is_percent. */
static void fenceposts(int32_t n, struct intstr ms, struct intstr mu,
		       int32_t *surge, int32_t *unav)
{
	*surge = intstr_scaled(ms, n, 1);
	*unav = intstr_scaled(mu, n, 0);
	if (*surge == 0 && *unav == 0)
		*unav = 1;
}

int32_t canary_max_surge(int32_t n, struct intstr ms, struct intstr mu)
{
	int32_t s, u;

	fenceposts(n, ms, mu, &s, &u);
	return s;
}

int32_t canary_max_unavailable(int32_t n, struct intstr ms, struct intstr mu)
{
	int32_t s, u;

	if (n == 0)
		return 0;
	fenceposts(n, ms, mu, &s, &u);
	return u > n ? n : u;
}

int32_t canary_set_weight(const struct canary_config *c, int32_t step,
			  int aborted)
{
	int32_t i;

	if (aborted)
		return 0;
	if (c->n_steps == 0 || step >= c->n_steps)
		return 100;
	for (i = step; i >= 0; i--)
		if (c->steps[i].kind == CANARY_SET_WEIGHT)
			return c->steps[i].weight;
	return 0;
}

int32_t canary_desired_weight(const struct canary_config *c, int32_t step,
			      int aborted, int promote_full, int has_stable,
			      int stable_is_current)
{
	if (promote_full || !has_stable || stable_is_current)
		return 100;
	return canary_set_weight(c, step, aborted);
}

/* floorCeilingTied: the fractional part of total*weight/100 is 0.5. */
static int tied(int32_t weight, int32_t total)
{
	double ip, frac = modf((double)total * ((double)weight / 100.0), &ip);

	return frac == 0.5;
}

/* weightDelta */
static double delta(int32_t weight, int32_t canary, int32_t total)
{
	return fabs((double)(canary * 100) / (double)total - (double)weight);
}

struct option {
	int32_t canary, total;
};

void canary_targets(int32_t n, int32_t weight, int32_t surge,
		    int32_t *canary, int32_t *stable)
{
	struct option o[4];
	int n_o = 0, i, best = 0;
	int32_t c_up, c_down;
	int zero_ok;

	if (n == 0) {
		*canary = *stable = 0;
		return;
	}
	c_up = (int32_t)ceil((double)(n * weight) / 100.0);
	c_down = (int32_t)floor((double)(n * weight) / 100.0);
	zero_ok = weight == 100 || weight == 0 || (n == 1 && surge == 0);
	if (c_up < n || zero_ok)
		o[n_o++] = (struct option){ c_up, n };
	if (!tied(weight, n) && (c_down != 0 || zero_ok))
		o[n_o++] = (struct option){ c_down, n };
	if (surge > 0) {
		o[n_o++] = (struct option){ c_up, n + 1 };
		if (!tied(weight, n + 1) && (c_down != 0 || zero_ok))
			o[n_o++] = (struct option){ c_down, n + 1 };
	}
	if (n_o == 0) {
		/* upstream's "should not get here": reached with surge 0
		 * when n*weight/100 = n - 0.5 (docs/progressive.md §6) */
		*canary = 0;
		*stable = n;
		return;
	}
	for (i = 1; i < n_o; i++)    /* strictly closer: earlier wins ties */
		if (delta(weight, o[i].canary, o[i].total) <
		    delta(weight, o[best].canary, o[best].total))
			best = i;
	*canary = o[best].canary;
	*stable = o[best].total - o[best].canary;
}

int32_t canary_replicas_for_scale_down(const struct canary_rs *rs,
				       int ignore_availability)
{
	if (!rs)
		return 0;
	if (rs->spec < rs->available)
		return rs->spec;
	return ignore_availability ? rs->spec : rs->available;
}

/* calculateScaleDownReplicaCount */
static int32_t scale_down_count(const struct canary_rs *drain,
				int32_t desired, int32_t down, int32_t cur)
{
	if (drain && drain->spec > desired)
		return max32(desired, drain->spec - down);
	return cur;
}

/* adjustReplicaWithinLimits: *adj back under max_allowed, without
 * breaking min_avail, the rest taken off *drainc. */
static void within_limits(const struct canary_rs *drain,
			  const struct canary_rs *adj, int32_t *drainc,
			  int32_t *adjc, int32_t max_allowed,
			  int32_t min_avail)
{
	int32_t over = max32(0, *adjc + *drainc - max_allowed);
	int32_t total = 0, extra, need;

	if (drain)
		total += min32(drain->available, *drainc);
	if (!adj)
		return;
	*adjc -= over;
	total += min32(adj->available, *adjc);
	extra = max32(0, adj->available - *adjc);
	need = max32(0, min_avail - total);
	*adjc += min32(extra, need);
	over = max32(0, *adjc + *drainc - max_allowed);
	*drainc -= over;
}

/* The scale-up half: the stable first, then the canary. */
static void scale_up(const struct canary_calc_in *in, int scale_stable,
		     int32_t want_new, int32_t want_stable, int32_t *newc,
		     int32_t *stablec)
{
	int32_t total = in->older_spec, up;

	if (in->newrs)
		total += in->newrs->spec;
	if (scale_stable)
		total += in->stable->spec;
	up = in->replicas + in->surge - total;
	if (scale_stable && in->stable->spec < want_stable && up > 0) {
		if (in->stable->spec + up < want_stable) {
			*stablec = in->stable->spec + up;
			up = 0;
		} else {
			*stablec = want_stable;
			up -= want_stable - in->stable->spec;
		}
	}
	if (in->newrs && in->newrs->spec < want_new && up > 0)
		*newc = min32(in->newrs->spec + up, want_new);
}

void canary_basic_counts(const struct canary_calc_in *in, int32_t *newc,
			 int32_t *stablec)
{
	int32_t want_new, want_stable, min_avail, down;
	int32_t max_allowed = in->replicas + in->surge;
	int scale_stable = in->stable && !in->stable_is_new, inc;

	canary_targets(in->replicas, in->weight, in->surge, &want_new,
		       &want_stable);
	*newc = in->newrs ? in->newrs->spec : 0;
	*stablec = scale_stable ? in->stable->spec : 0;
	if (!scale_stable) {
		want_new = in->replicas;
		want_stable = 0;
	}
	scale_up(in, scale_stable, want_new, want_stable, newc, stablec);
	if (in->older_spec > 0)
		return;              /* old ReplicaSets are drained first */
	min_avail = in->replicas - in->unavailable;
	inc = !in->newrs || want_new >= in->newrs->spec;
	down = canary_replicas_for_scale_down(in->newrs, !inc) +
	       canary_replicas_for_scale_down(in->stable, inc);
	if (down <= min_avail)
		return;
	down -= min_avail;
	if (!inc) {
		*newc = scale_down_count(in->newrs, want_new, down, *newc);
		within_limits(in->newrs, in->stable, newc, stablec,
			      max_allowed, min_avail);
	} else if (scale_stable) {
		*stablec = scale_down_count(in->stable, want_stable, down,
					    *stablec);
		within_limits(in->stable, in->newrs, stablec, newc,
			      max_allowed, min_avail);
	}
}

int canary_at_desired(const struct canary_calc_in *in,
		      int32_t older_available)
{
	int32_t newc, stablec;

	canary_basic_counts(in, &newc, &stablec);
	if (!in->newrs || in->newrs->spec != newc ||
	    in->newrs->available != newc)
		return 0;
	if (!in->stable || in->stable->spec != stablec ||
	    in->stable->replicas != stablec)
		return 0;
	return older_available == 0;
}

/* cleanupUnhealthyReplicas, oldest first (no limit, unlike the
 * Deployment's). */
static int32_t cleanup_unhealthy(struct canary_old *old, int32_t n_old)
{
	int32_t i, removed = 0;

	for (i = 0; i < n_old; i++) {
		if (old[i].spec == 0 || old[i].spec == old[i].available ||
		    old[i].available > old[i].spec)
			continue;
		removed += old[i].spec - old[i].available;
		old[i].spec = old[i].available;
	}
	return removed;
}

/* The not yet visited old ReplicaSet with the highest revision. */
static int32_t next_newest(const struct canary_old *old, int32_t n_old,
			   int32_t below_rev, int32_t below_idx)
{
	int32_t i, best = -1;

	for (i = 0; i < n_old; i++) {
		int before = old[i].revision < below_rev ||
			     (old[i].revision == below_rev && i < below_idx);

		if (before &&
		    (best < 0 || old[i].revision >= old[best].revision))
			best = i;
	}
	return best;
}

int32_t canary_scale_down_old(struct canary_old *old, int32_t n_old,
			      int32_t replicas, int32_t unavailable,
			      int32_t all_available)
{
	int32_t removed = cleanup_unhealthy(old, n_old);
	int32_t max_down = all_available - (replicas - unavailable);
	int32_t i = n_old, rev = INT32_MAX;

	while (max_down > 0) {
		int32_t want;

		i = next_newest(old, n_old, rev, i);
		if (i < 0)
			break;
		rev = old[i].revision;
		if (old[i].spec == 0)
			continue;
		want = old[i].spec > max_down ? old[i].spec - max_down : 0;
		max_down -= old[i].spec - want;
		removed += old[i].spec - want;
		old[i].spec = want;
	}
	return removed;
}

void canary_step_string(const struct canary_step *s, char *buf, size_t n)
{
	long long sec;

	switch (s->kind) {
	case CANARY_SET_WEIGHT:
		snprintf(buf, n, "setWeight: %d", (int)s->weight);
		return;
	case CANARY_PAUSE:
		if (s->pause_ns < 0) {
			snprintf(buf, n, "pause");
			return;
		}
		sec = (long long)(s->pause_ns / SIM_NS_PER_S);
		if (sec > 0 && sec % 3600 == 0)
			snprintf(buf, n, "pause: %lldh", sec / 3600);
		else if (sec > 0 && sec % 60 == 0)
			snprintf(buf, n, "pause: %lldm", sec / 60);
		else
			snprintf(buf, n, "pause: %llds", sec);
		return;
	case CANARY_ANALYSIS:
	default:
		snprintf(buf, n, "analysis");
		return;
	}
}
