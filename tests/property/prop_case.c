/* prop_case.c - helpers shared by the property tests over random worlds
 * (see prop_case.h). This file holds no tests of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "models/deployment.h"
#include "models/intstr.h"
#include "models/world.h"
#include "sim/core/engine.h"
#include "../test_rand.h"
#include "prop_case.h"

uint64_t prop_case_seed(uint64_t base_seed, int idx)
{
	return base_seed ^ ((uint64_t)idx * UINT64_C(0x100000001b3));
}

size_t prop_desc_add(char *buf, size_t used, size_t cap, const char *fmt,
		     ...)
{
	va_list ap;
	int w;

	if (used >= cap)
		return used;
	va_start(ap, fmt);
	w = vsnprintf(buf + used, cap - used, fmt, ap);
	va_end(ap);
	return w < 0 ? used : used + (size_t)w;
}

struct intstr prop_rand_intstr(uint64_t *s, int32_t r)
{
	if (sm_next(s) & 1)
		return intstr_int((int32_t)sm_range(s, 0, r));
	return intstr_percent((int32_t)sm_range(s, 0, 100));
}

void prop_ref_resolve(enum strategy_type st, int32_t r, struct intstr ms,
		      struct intstr mu, int32_t *surge, int32_t *unav)
{
	int64_t s = ms.is_percent ? ((int64_t)ms.value * r + 99) / 100
				  : ms.value;
	int64_t u = mu.is_percent ? ((int64_t)mu.value * r) / 100 : mu.value;

	if (st != STRATEGY_ROLLING_UPDATE) {
		*surge = *unav = 0;
		return;
	}
	if (s == 0 && u == 0)
		u = 1;
	if (u > r)
		u = r;
	if (r == 0)
		u = 0;
	*surge = (int32_t)s;
	*unav = (int32_t)u;
}

int prop_event_cmp(const void *a, const void *b)
{
	const struct world_event *x = a, *y = b;

	return (x->at_ns > y->at_ns) - (x->at_ns < y->at_ns);
}

int prop_run_world(const struct world_config *cfg,
		   const struct world_observer *obs, const char *desc,
		   struct world_metrics *m)
{
	world *w = NULL;
	int rc;

	rc = world_new(cfg, 0, obs, &w);
	cr_assert_eq(rc, 0, "%s: world_new returned %d", desc, rc);
	rc = world_run(w);
	world_get_metrics(w, m);
	world_free(w);
	return rc;
}

void prop_violation(struct prop_violations *v, sim_time_t t,
		    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (v->n++)
		return;
	n = snprintf(v->first, sizeof(v->first), "t=%.6fs: ", sim_ns_to_s(t));
	if (n < 0 || (size_t)n >= sizeof(v->first))
		return;
	va_start(ap, fmt);
	vsnprintf(v->first + n, sizeof(v->first) - (size_t)n, fmt, ap);
	va_end(ap);
}
