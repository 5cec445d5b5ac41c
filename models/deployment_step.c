/* deployment_step.c - the Deployment controller's arithmetic, without a
 * world (docs/kubernetes.md §1, §2; "§N" below is a section of that
 * page): maxSurge and maxUnavailable resolved against replicas, the new
 * ReplicaSet's next size, and one rolling-update step over the
 * ReplicaSets' counts. deployment.c runs these on the live objects; the
 * conformance tests call them directly.
 */
#include "deployment.h"

/* §1 ResolveFenceposts: both resolved values 0 -> unavailable 1. */
static void resolve_fenceposts(int32_t replicas, struct intstr ms,
			       struct intstr mu, int32_t *surge,
			       int32_t *unav)
{
	*surge = intstr_scaled(ms, replicas, 1);   /* maxSurge rounds up */
	*unav = intstr_scaled(mu, replicas, 0);    /* maxUnavailable down */
	if (*surge == 0 && *unav == 0)
		*unav = 1;
}

int32_t deploy_max_surge(enum strategy_type st, int32_t replicas,
			 struct intstr max_surge, struct intstr max_unav)
{
	int32_t s, u;

	if (st != STRATEGY_ROLLING_UPDATE)
		return 0;
	resolve_fenceposts(replicas, max_surge, max_unav, &s, &u);
	return s;
}

int32_t deploy_max_unavailable(enum strategy_type st, int32_t replicas,
			       struct intstr max_surge,
			       struct intstr max_unav)
{
	int32_t s, u;

	if (st != STRATEGY_ROLLING_UPDATE || replicas == 0)
		return 0;
	resolve_fenceposts(replicas, max_surge, max_unav, &s, &u);
	return u > replicas ? replicas : u;
}

int32_t deploy_new_rs_replicas(int32_t replicas, int32_t surge,
			       int32_t new_spec, int32_t all_spec)
{
	int32_t max_total = deploy_max_total(replicas, surge), up;

	if (all_spec >= max_total)
		return new_spec;
	up = max_total - all_spec;
	if (up > replicas - new_spec)
		up = replicas - new_spec;
	return new_spec + (up > 0 ? up : 0);
}

/* §2.5 step 1: unhealthy old pods first, oldest ReplicaSet first. */
static int32_t cleanup_unhealthy(struct rs_counts *old, size_t n_old,
				 int32_t limit)
{
	int32_t cleaned = 0;
	size_t i;

	for (i = 0; i < n_old && cleaned < limit; i++) {
		int32_t unhealthy = old[i].spec - old[i].avail, k;

		if (old[i].spec == 0 || unhealthy <= 0)
			continue;
		k = limit - cleaned < unhealthy ? limit - cleaned : unhealthy;
		old[i].spec -= k;
		old[i].cleaned = k;
		cleaned += k;
	}
	return cleaned;
}

/* §2.5 step 2: keep availTotal >= minAvailable, oldest first. The budget
 * uses availability read before step 1 (upstream does the same). */
static int32_t scale_down_old(struct rs_counts *old, size_t n_old,
			      int32_t budget)
{
	int32_t scaled = 0;
	size_t i;

	for (i = 0; i < n_old && scaled < budget; i++) {
		int32_t k;

		if (old[i].spec == 0)
			continue;
		k = old[i].spec < budget - scaled ? old[i].spec
						  : budget - scaled;
		old[i].spec -= k;
		scaled += k;
	}
	return scaled;
}

struct rolling_result deploy_rolling_step(int32_t replicas, int32_t surge,
					  int32_t unavailable,
					  struct rs_counts *newrs,
					  struct rs_counts *old,
					  size_t n_old)
{
	struct rolling_result res = { ROLLING_NONE, 0, 0 };
	int32_t old_total = 0, all_total = newrs->spec, avail_total =
		newrs->avail;
	int32_t min_avail = replicas - unavailable, max_down, target;
	size_t i;

	for (i = 0; i < n_old; i++) {
		old[i].cleaned = 0;
		old_total += old[i].spec;
		all_total += old[i].spec;
		avail_total += old[i].avail;
	}
	/* §2.4 reconcileNewReplicaSet */
	if (newrs->spec > replicas) {
		newrs->spec = replicas;
		res.action = ROLLING_NEW_DOWN;
		return res;
	}
	target = deploy_new_rs_replicas(replicas, surge, newrs->spec,
					all_total);
	if (target != newrs->spec) {
		newrs->spec = target;
		res.action = ROLLING_NEW_UP;
		return res;
	}
	/* §2.5 reconcileOldReplicaSets */
	if (old_total == 0)
		return res;
	max_down = all_total - min_avail - (newrs->spec - newrs->avail);
	if (max_down <= 0)
		return res;
	res.cleaned = cleanup_unhealthy(old, n_old, max_down);
	if (avail_total > min_avail)
		res.scaled = scale_down_old(old, n_old,
					    avail_total - min_avail);
	if (res.cleaned + res.scaled > 0)
		res.action = ROLLING_OLD_DOWN;
	return res;
}
