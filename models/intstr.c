/* intstr.c - integer-or-percent scaling (docs/kubernetes.md §1). */
#include "intstr.h"

struct intstr intstr_int(int32_t v)
{
	struct intstr r = { 0, v };
	return r;
}

struct intstr intstr_percent(int32_t pct)
{
	struct intstr r = { 1, pct };
	return r;
}

int32_t intstr_scaled(struct intstr v, int32_t total, int round_up)
{
	int64_t prod;

	if (!v.is_percent)
		return v.value;
	prod = (int64_t)v.value * total;
	/* maxSurge rounds up, maxUnavailable rounds down */
	prod = round_up ? (prod + 99) / 100 : prod / 100;
	/* a huge percentage saturates instead of wrapping (upstream's int
	 * would wrap; no such Deployment can be honoured anyway) */
	return prod > INT32_MAX ? INT32_MAX : (int32_t)prod;
}
