/* intstr.h - Kubernetes' integer-or-percent values (maxSurge, ...).
 *
 * Scaling rule (apimachinery intstr, GetScaledValueFromIntOrPercent): a
 * percentage p of total is ceil(p*total/100) when rounding up, else
 * floor(p*total/100); an absolute integer is returned unchanged.
 */
#ifndef RSIM_INTSTR_H
#define RSIM_INTSTR_H

#include <stdint.h>

struct intstr {
	int is_percent;   /* 1: value is a percentage */
	int32_t value;    /* pods, or percent (>= 0) */
};

struct intstr intstr_int(int32_t v);
struct intstr intstr_percent(int32_t pct);

/* The value scaled against total (see above), at most INT32_MAX. */
int32_t intstr_scaled(struct intstr v, int32_t total, int round_up);

#endif
