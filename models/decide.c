/* decide.c - the models' decisions in words (decide.h). The resolution of
 * maxSurge and maxUnavailable is written here once, for `rollsim explain`
 * and for the human summary of `rollsim run`. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "world_impl.h"

int decide_on(const struct world *w)
{
	return w->obs.on_decision != NULL;
}

void decide(struct world *w, enum world_actor who, const char *object,
	    const char *fmt, ...)
{
	char text[768];
	va_list ap;

	if (!w->obs.on_decision)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	w->obs.on_decision(w->obs.ctx, engine_now(w->eng), who, object, text);
}

void decide_hundredths(long long x, char *buf, size_t n)
{
	long long whole = x / 100, frac = x % 100;

	if (frac == 0)
		snprintf(buf, n, "%lld", whole);
	else if (frac % 10 == 0)
		snprintf(buf, n, "%lld.%lld", whole, frac / 10);
	else
		snprintf(buf, n, "%lld.%02lld", whole, frac);
}

/* One field: "maxSurge 25% of 5 = 1.25, rounded up: 2", "maxSurge 1"
 * (a pod count). */
static void bound_text(const char *field, struct intstr v, int32_t replicas,
		       int round_up, int32_t resolved,
		       enum decide_style style, char *buf, size_t n)
{
	long long prod = (long long)v.value * replicas;
	const char *dir = round_up ? "up" : "down";
	char exact[48];

	if (!v.is_percent) {
		snprintf(buf, n, "%s %d", field, v.value);
		return;
	}
	decide_hundredths(prod, exact, sizeof(exact));
	if (prod % 100 == 0)
		snprintf(buf, n, "%s %d%% of %d = %s", field, v.value,
			 replicas, exact);
	else if (style == DECIDE_ARROW)
		snprintf(buf, n, "%s %d%% of %d = %s -> %d (rounded %s)",
			 field, v.value, replicas, exact, resolved, dir);
	else
		snprintf(buf, n, "%s %d%% of %d = %s, rounded %s: %d", field,
			 v.value, replicas, exact, dir, resolved);
}

void decide_field_text(const struct deploy_config *d, int surge,
		       enum decide_style style, char *buf, size_t n)
{
	int32_t r = d->replicas;
	int32_t s = intstr_scaled(d->max_surge, r, 1);
	int32_t u = intstr_scaled(d->max_unavailable, r, 0);
	int len;

	if (surge) {
		bound_text("maxSurge", d->max_surge, r, 1, s, style, buf, n);
		return;
	}
	bound_text("maxUnavailable", d->max_unavailable, r, 0, u, style, buf,
		   n);
	len = (int)strlen(buf);
	if ((size_t)len + 1 >= n)
		return;
	if (r == 0)
		snprintf(buf + len, n - (size_t)len, "; 0 replicas: "
			 "maxUnavailable 0");
	else if (s == 0 && u == 0)
		snprintf(buf + len, n - (size_t)len, "; both 0: "
			 "maxUnavailable becomes 1 so the rollout can "
			 "progress");
	else if (u > r)
		snprintf(buf + len, n - (size_t)len, "; more than the %d "
			 "replicas: maxUnavailable %d", r, r);
}

void decide_bounds_text(const struct deploy_config *d,
			enum decide_style style, char *buf, size_t n)
{
	char st[160], ut[256];

	if (d->strategy == STRATEGY_RECREATE) {
		snprintf(buf, n, "Recreate: every old pod goes before any new "
			 "one starts (maxSurge and maxUnavailable do not "
			 "apply)");
		return;
	}
	decide_field_text(d, 1, style, st, sizeof(st));
	decide_field_text(d, 0, style, ut, sizeof(ut));
	snprintf(buf, n, "%s, %s", st, ut);
}
