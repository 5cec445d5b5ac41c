/* analysis.c - what the progressive controllers measure: the new
 * version's requests over each interval, judged against thresholds.
 *
 * SKELETON: not implemented yet.
 */
#include "world_impl.h"

int analysis_init(struct world *w)
{
	(void)w;
	return 0;
}

void analysis_release(struct world *w)
{
	(void)w;
}

void analysis_request_done(struct world *w, int32_t pod, enum req_outcome o,
			   sim_time_t latency_ns)
{
	(void)w;
	(void)pod;
	(void)o;
	(void)latency_ns;
}

void analysis_start(struct world *w, struct analysis_run *r,
		    const struct analysis_config *cfg, int32_t tmpl)
{
	(void)w;
	r->cfg = cfg;
	r->tmpl = tmpl;
	r->phase = ANALYSIS_SUCCESSFUL;
}

void analysis_stop(struct world *w, struct analysis_run *r)
{
	(void)w;
	(void)r;
}

void analysis_window_reset(struct world *w, struct analysis_window *win,
			   int32_t tmpl)
{
	(void)w;
	win->tmpl = tmpl;
	win->slot = -1;
}

int analysis_check(struct world *w, struct analysis_window *win,
		   const struct analysis_config *cfg, char *msg, size_t n)
{
	(void)w;
	(void)win;
	(void)cfg;
	if (n)
		msg[0] = '\0';
	return 1;
}

void analysis_window_stop(struct world *w, struct analysis_window *win)
{
	(void)w;
	(void)win;
}
