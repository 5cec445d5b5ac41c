/* deployment_scale.c - proportional scaling (docs/kubernetes.md §3, sync.go
 * scale()).
 *
 * When replicas change while more than one ReplicaSet is active, the
 * change is spread in proportion to each ReplicaSet's size: each gets
 * round(spec * (R + maxSurge) / max-replicas annotation) - spec, capped
 * by what is left to add, the largest first (ties: newer first when
 * growing, older first when shrinking), and the leftover goes to the
 * first. Rounding is half away from zero (Go's math.Round).
 */
#include <math.h>
#include <stdlib.h>

#include "sim/core/alloc.h"
#include "deployment.h"

struct scale_item {
	size_t i;          /* index into rs[] = creation order */
	int32_t spec;
	int newer_first;   /* tie order: 1 newer first, 0 older first */
};

static int item_cmp(const void *pa, const void *pb)
{
	const struct scale_item *a = pa, *b = pb;

	if (a->spec != b->spec)
		return a->spec > b->spec ? -1 : 1;
	if (a->newer_first)
		return a->i > b->i ? -1 : (a->i < b->i);
	return a->i < b->i ? -1 : (a->i > b->i);
}

int32_t deploy_max_total(int32_t replicas, int32_t surge)
{
	int64_t t = (int64_t)replicas + surge;

	return t > INT32_MAX ? INT32_MAX : (int32_t)t;
}

/* getReplicaSetFraction */
static int32_t rs_fraction(int32_t replicas, int32_t surge,
			   int32_t status_replicas, const struct rs_scale_in *r)
{
	int32_t annotated = r->max_annot >= 0 ? r->max_annot : status_replicas;
	double size;

	if (replicas == 0)
		return -r->spec;
	if (annotated <= 0)
		return 0;
	size = (double)r->spec * ((double)replicas + (double)surge) /
	       (double)annotated;
	size = round(size);
	/* a huge maxSurge: the sum is capped by what is left to add */
	return (size >= (double)INT32_MAX ? INT32_MAX : (int32_t)size) -
	       r->spec;
}

/* GetProportion */
static int32_t rs_proportion(int32_t frac, int32_t spec, int32_t to_add,
			     int32_t added)
{
	int32_t left = to_add - added;

	if (spec == 0 || to_add == 0 || to_add == added)
		return 0;
	if (to_add > 0)
		return frac < left ? frac : left;
	return frac > left ? frac : left;
}

/* FindActiveOrLatest: the one active RS, else the new, else the newest
 * old; -1 when several are active. */
static long active_or_latest(const struct rs_scale_in *rs, size_t n,
			     long new_idx)
{
	long found = -1;
	size_t i, active = 0;

	for (i = 0; i < n; i++)
		if (rs[i].spec > 0) {
			active++;
			found = (long)i;
		}
	if (active == 1)
		return found;
	if (active > 1 || n == 0)
		return -1;
	if (new_idx >= 0)
		return new_idx;
	for (i = n; i-- > 0;)
		if ((long)i != new_idx)
			return (long)i;
	return -1;
}

static int proportional(int32_t replicas, int32_t surge, int32_t status,
			const struct rs_scale_in *rs, size_t n, int32_t *out)
{
	struct scale_item *it = rsim_malloc((n ? n : 1) * sizeof(*it));
	int32_t allowed = replicas > 0 ? deploy_max_total(replicas, surge) : 0;
	int32_t sum = 0;
	int32_t to_add, added = 0;
	size_t i, k = 0;

	if (!it)
		return -1;
	for (i = 0; i < n; i++)
		if (rs[i].spec > 0) {
			it[k].i = i;
			it[k].spec = rs[i].spec;
			sum += rs[i].spec;
			k++;
		}
	to_add = allowed - sum;
	for (i = 0; i < k; i++)
		it[i].newer_first = to_add > 0;
	if (to_add != 0)
		qsort(it, k, sizeof(*it), item_cmp);
	for (i = 0; i < k; i++) {
		const struct rs_scale_in *r = &rs[it[i].i];
		int32_t p = rs_proportion(rs_fraction(replicas, surge, status,
						      r),
					  r->spec, to_add, added);

		out[it[i].i] = r->spec + p;
		added += p;
	}
	if (k > 0 && to_add != 0) {    /* leftover to the largest */
		out[it[0].i] += to_add - added;
		if (out[it[0].i] < 0)
			out[it[0].i] = 0;
	}
	free(it);
	return (int)k;
}

int deploy_scale(enum strategy_type st, int32_t replicas, int32_t surge,
		 int32_t status_replicas, const struct rs_scale_in *rs,
		 size_t n, long new_idx, int32_t *out)
{
	long one = active_or_latest(rs, n, new_idx);
	size_t i;
	int k = 0;

	for (i = 0; i < n; i++)
		out[i] = -1;
	if (one >= 0) {
		out[one] = replicas;
		return 1;
	}
	if (n == 0)
		return 0;
	if (new_idx >= 0 && rs[new_idx].spec == replicas &&
	    rs[new_idx].desired_annot == replicas &&
	    rs[new_idx].avail == replicas) {   /* IsSaturated */
		for (i = 0; i < n; i++)
			if ((long)i != new_idx && rs[i].spec > 0) {
				out[i] = 0;
				k++;
			}
		return k;
	}
	if (st != STRATEGY_ROLLING_UPDATE)
		return 0;
	return proportional(replicas, surge, status_replicas, rs, n, out);
}
