/* traffic_agg.h - the aggregate traffic engine, between traffic.c and
 * traffic_agg.c (internal to models/).
 *
 * traffic.c keeps the arrival stream, the per-request service and the
 * books; in traffic.mode "aggregate" it hands every stretch of time in
 * which the routing view and the pods' states stay the same to the
 * functions below, which draw the stretch's requests in aggregate and
 * count their outcomes through traffic_count_* (traffic.c).
 */
#ifndef RSIM_TRAFFIC_AGG_H
#define RSIM_TRAFFIC_AGG_H

#include <stdint.h>

#include "traffic.h"

struct world;
struct hist;

/* Starts the engine when the scenario allows it (traffic_agg_fallback);
 * 0 (also when it stays off) or RSIM_ENOMEM. */
int agg_init(struct world *w);
void agg_release(struct world *w);
/* 1 while the aggregate engine runs. */
int agg_on(const struct world *w);

/* Stretch boundaries: traffic starts; something that routing or serving
 * depends on changed (view, a pod's accepting state, the rate, the
 * rollout window); a pod's container stopped (its requests reset); a
 * second ends (every slab is accounted up to now); the run ends. */
void agg_begin(struct world *w);
void agg_boundary(struct world *w);
void agg_killed(struct world *w, int32_t pod);
void agg_second(struct world *w);
void agg_finish(struct world *w);

/* Requests inside the pods drawn in aggregate at the last second's end
 * (traffic.csv in_flight), and their expected pod-time so far (ns). */
/* The second's latency quantiles (hist_quantiles over sec and the
 * ok answers drawn in aggregate this second, models/traffic_lat.h). */
void agg_quantiles(struct world *w, struct hist *sec, const double *q,
		   double *out, int m);
/* The end of the run: every aggregate latency into the run's
 * histograms. */
void agg_close(struct world *w);

int32_t agg_in_flight(const struct world *w);
double agg_in_flight_area(const struct world *w);

/* The share of the arrival rate that is still simulated per request,
 * and the pod such a request goes to (uniform among the pods that are
 * not drawn in aggregate), or -1. */
double agg_share(const struct world *w);
int32_t agg_pick(struct world *w);

/* traffic.c: the books. k arrivals of a stretch; k final outcomes o of
 * requests that arrived with these attributes (template tmpl, or -1 for
 * none reached a pod). */
void traffic_count_arrivals(struct world *w, int32_t rollout, uint64_t k);
void traffic_count_outcomes(struct world *w, int32_t rollout, int before,
			    int32_t tmpl, enum req_outcome o, uint64_t k);
/* The histograms ok latencies of a request of this rollout go to. */
struct hist *traffic_sec_hist(struct world *w);
struct hist *traffic_win_hist(struct world *w);
/* Re-arms the arrival stream at the current rate and share. */
void traffic_rearm(struct world *w);

#endif
