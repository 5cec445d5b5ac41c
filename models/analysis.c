/* analysis.c - what the progressive controllers measure: the new
 * version's requests over each interval, judged against thresholds.
 *
 * Two ways to ask. An analysis run (Argo Rollouts' AnalysisRun) measures
 * each of its metrics on its own timer and assesses the metric as
 * argo-rollouts analysis/analysis.go assessMetricStatus does: Failed when
 * failed > failureLimit, Inconclusive when inconclusive >
 * inconclusiveLimit, Error when consecutive errors >
 * consecutiveErrorLimit, Successful once `count` measurements are taken
 * (with no count it runs until terminated). The run's phase is the worst
 * of its metrics' (assessRunStatus: Failed, then Error, then
 * Inconclusive); it is final as soon as one metric fails or errs, or when
 * every metric is final. A Flagger check (pkg/controller/scheduler_metrics.go
 * runBuiltinMetricChecks) measures every metric at once over the requests
 * since the previous check.
 *
 * A measurement reads the requests answered by pods of one template since
 * the previous measurement: the success rate and error rate in percent of
 * the answered ones, the p50 or p99 latency in ms of the ok ones. Fewer
 * requests than minRequests (or, for a latency, no ok request) is "no
 * data": an inconclusive measurement in a run, a failed check in Flagger
 * ("no values found"); docs/progressive.md §4 explains the choice.
 * Nothing is fed while no run or window is active, so a Deployment pays one
 * test per request.
 */
#include <stdio.h>
#include <string.h>

#include "world_impl.h"

int analysis_init(struct world *w)
{
	memset(&w->prog.an, 0, sizeof(w->prog.an));
	return 0;
}

void analysis_release(struct world *w)
{
	memset(&w->prog.an, 0, sizeof(w->prog.an));
}

/* -------------------------------------------------------- measuring */

static void feed(uint64_t *answered, uint64_t *bad, struct hist *lat,
		 enum req_outcome o, sim_time_t latency_ns)
{
	(*answered)++;
	if (o != OUTCOME_OK)
		(*bad)++;
	else
		hist_add(lat, (double)latency_ns);
}

void analysis_request_done(struct world *w, int32_t pod, enum req_outcome o,
			   sim_time_t latency_ns)
{
	struct analysis_state *a = &w->prog.an;
	int32_t tmpl = w->pods[pod].tmpl, i, k;

	for (i = 0; i < ANALYSIS_SLOTS; i++) {
		struct analysis_run *r = a->runs[i];
		struct analysis_window *v = a->wins[i];

		if (r && r->tmpl == tmpl)
			for (k = 0; k < r->cfg->n_metrics; k++)
				feed(&r->m[k].answered, &r->m[k].bad,
				     &r->m[k].latency, o, latency_ns);
		if (v && v->tmpl == tmpl)
			feed(&v->answered, &v->bad, &v->latency, o,
			     latency_ns);
	}
}

/* The value of metric m over a window, or 0 with *no_data set. */
double analysis_measure(const struct metric_config *m, uint64_t answered,
			uint64_t bad, const struct hist *lat, int *no_data)
{
	double n = (double)answered;

	*no_data = answered == 0 || answered < (uint64_t)m->min_requests;
	if (*no_data)
		return 0;
	switch (m->kind) {
	case METRIC_SUCCESS_RATE:
		return 100.0 * (n - (double)bad) / n;
	case METRIC_ERROR_RATE:
		return 100.0 * (double)bad / n;
	case METRIC_LATENCY_P50:
	case METRIC_LATENCY_P99:
		if (lat->count == 0) {
			*no_data = 1;
			return 0;
		}
		return hist_quantile(lat, m->kind == METRIC_LATENCY_P99
						  ? 0.99 : 0.5) / 1e6;
	}
	return 0;
}

/* Within thresholdRange (inclusive bounds, as Flagger's checks). */
int analysis_in_range(const struct metric_config *m, double v)
{
	return (!m->has_min || v >= m->min) && (!m->has_max || v <= m->max);
}

static const char *metric_words(enum metric_kind k)
{
	switch (k) {
	case METRIC_SUCCESS_RATE:
		return "success rate";
	case METRIC_ERROR_RATE:
		return "error rate";
	case METRIC_LATENCY_P50:
		return "request duration p50";
	case METRIC_LATENCY_P99:
	default:
		return "request duration";
	}
}

/* Flagger's words for a value out of range: "success rate 91.20% < 99%",
 * "request duration 734ms > 500ms". */
static void out_of_range(const struct metric_config *m, double v, char *msg,
			 size_t n)
{
	int pct = m->kind == METRIC_SUCCESS_RATE ||
		  m->kind == METRIC_ERROR_RATE;
	int below = m->has_min && v < m->min;

	if (pct)
		snprintf(msg, n, "%s %.2f%% %s %g%%", metric_words(m->kind), v,
			 below ? "<" : ">", below ? m->min : m->max);
	else
		snprintf(msg, n, "%s %.0fms %s %gms", metric_words(m->kind), v,
			 below ? "<" : ">", below ? m->min : m->max);
}

/* ------------------------------------------------------------ slots */

static int32_t slot_take(struct world *w, struct analysis_run *r,
			 struct analysis_window *v)
{
	struct analysis_state *a = &w->prog.an;
	int32_t i;

	for (i = 0; i < ANALYSIS_SLOTS; i++)
		if (r ? !a->runs[i] : !a->wins[i]) {
			if (r)
				a->runs[i] = r;
			else
				a->wins[i] = v;
			a->n_active++;
			return i;
		}
	return -1;
}

static void slot_free(struct world *w, int32_t slot, int run)
{
	struct analysis_state *a = &w->prog.an;

	if (slot < 0)
		return;
	if (run)
		a->runs[slot] = NULL;
	else
		a->wins[slot] = NULL;
	a->n_active--;
}

/* ------------------------------------------------------------- runs */

static void ev_measure(void *ctx, uint64_t arg);

/* assessMetricStatus: the phase of metric k after its measurements. */
enum analysis_phase analysis_metric_phase(const struct metric_config *m,
					 const struct analysis_metric_run *x)
{

	if (m->failure_limit >= 0 && x->failed > m->failure_limit)
		return ANALYSIS_FAILED;
	if (m->inconclusive_limit >= 0 &&
	    x->inconclusive > m->inconclusive_limit)
		return ANALYSIS_INCONCLUSIVE;
	if (m->consecutive_error_limit >= 0 &&
	    x->consecutive_errors > m->consecutive_error_limit)
		return ANALYSIS_ERROR;
	if ((m->count > 0 && x->measured >= m->count) ||
	    (m->interval_ns <= 0 && x->measured > 0))
		return ANALYSIS_SUCCESSFUL;   /* no interval: one measurement */
	return ANALYSIS_RUNNING;
}

static const char *phase_word(enum analysis_phase p)
{
	switch (p) {
	case ANALYSIS_FAILED:
		return "Failed";
	case ANALYSIS_INCONCLUSIVE:
		return "Inconclusive";
	case ANALYSIS_ERROR:
		return "Error";
	case ANALYSIS_SUCCESSFUL:
		return "Successful";
	default:
		return "Running";
	}
}

static void run_message(struct analysis_run *r, int k, enum analysis_phase p)
{
	const struct metric_config *m = &r->cfg->metrics[k];
	const struct analysis_metric_run *x = &r->m[k];

	if (p == ANALYSIS_FAILED)
		snprintf(r->message, sizeof(r->message),
			 "Metric \"%s\" assessed Failed due to failed (%d) > "
			 "failureLimit (%d)", m->name, x->failed,
			 m->failure_limit);
	else if (p == ANALYSIS_INCONCLUSIVE)
		snprintf(r->message, sizeof(r->message),
			 "Metric \"%s\" assessed Inconclusive due to "
			 "inconclusive (%d) > inconclusiveLimit (%d)", m->name,
			 x->inconclusive, m->inconclusive_limit);
	else
		snprintf(r->message, sizeof(r->message),
			 "Metric \"%s\" assessed %s", m->name, phase_word(p));
}

static void run_end(struct world *w, struct analysis_run *r,
		    enum analysis_phase p)
{
	int k;

	r->phase = p;
	r->ended_ns = engine_now(w->eng);
	for (k = 0; k < r->cfg->n_metrics; k++)
		engine_cancel(w->eng, r->m[k].timer);
	slot_free(w, r->slot, 1);
	r->slot = -1;
	deploy_request_sync(w);
}

/* assessRunStatus: Failed, Error, Inconclusive in that order of
 * severity; final once one metric failed or erred, or all are final. */
static void run_assess(struct world *w, struct analysis_run *r)
{
	enum analysis_phase worst = ANALYSIS_SUCCESSFUL;
	int k, worst_k = 0, running = 0;
	static const int rank[] = { 0, 0, 1, 4, 2, 3 };

	for (k = 0; k < r->cfg->n_metrics; k++) {
		enum analysis_phase p =
			analysis_metric_phase(&r->cfg->metrics[k], &r->m[k]);

		if (p == ANALYSIS_RUNNING) {
			running = 1;
			continue;
		}
		if (rank[p] > rank[worst]) {
			worst = p;
			worst_k = k;
		}
	}
	if (worst == ANALYSIS_FAILED || worst == ANALYSIS_ERROR ||
	    (!running && r->cfg->n_metrics > 0)) {
		run_message(r, worst_k, worst);
		run_end(w, r, worst);
	}
}

static void measure_once(struct world *w, struct analysis_run *r, int k)
{
	const struct metric_config *m = &r->cfg->metrics[k];
	struct analysis_metric_run *x = &r->m[k];
	int no_data;
	double v = analysis_measure(m, x->answered, x->bad, &x->latency,
				    &no_data);

	x->measured++;
	x->answered = x->bad = 0;
	hist_clear(&x->latency);
	x->consecutive_errors = 0;
	if (no_data) {
		x->inconclusive++;
		delivery_measured(w, 0);
		return;
	}
	x->last_value = v;
	if (analysis_in_range(m, v))
		x->successful++;
	else
		x->failed++;
	delivery_measured(w, !analysis_in_range(m, v));
}

static void ev_measure(void *ctx, uint64_t arg)
{
	struct world *w = ctx;
	int32_t slot = (int32_t)engine_arg_lo(arg);
	int k = (int)engine_arg_hi(arg);
	struct analysis_run *r = w->prog.an.runs[slot];

	if (!r)
		return;
	r->m[k].timer = ENGINE_HANDLE_NONE;
	measure_once(w, r, k);
	if (r->cfg->metrics[k].interval_ns > 0 &&
	    (r->cfg->metrics[k].count == 0 ||
	     r->m[k].measured < r->cfg->metrics[k].count))
		r->m[k].timer = engine_after(w->eng,
					     r->cfg->metrics[k].interval_ns,
					     ev_measure, w, arg);
	run_assess(w, r);
}

void analysis_start(struct world *w, struct analysis_run *r,
		    const struct analysis_config *cfg, int32_t tmpl)
{
	int k;

	if (r->phase == ANALYSIS_RUNNING)
		analysis_stop(w, r);
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->tmpl = tmpl;
	r->started_ns = engine_now(w->eng);
	r->ended_ns = -1;
	r->slot = -1;
	r->phase = ANALYSIS_RUNNING;
	for (k = 0; k < PROG_METRICS_MAX; k++) {
		hist_init(&r->m[k].latency);
		r->m[k].timer = ENGINE_HANDLE_NONE;
	}
	if (cfg->n_metrics == 0) {         /* nothing to measure */
		r->phase = ANALYSIS_SUCCESSFUL;
		r->ended_ns = r->started_ns;
		return;
	}
	r->slot = slot_take(w, r, NULL);
	if (r->slot < 0) {
		snprintf(r->message, sizeof(r->message),
			 "too many analysis runs at once (%d)",
			 ANALYSIS_SLOTS);
		r->phase = ANALYSIS_ERROR;
		deploy_request_sync(w);
		return;
	}
	for (k = 0; k < cfg->n_metrics; k++)
		r->m[k].timer = engine_after(
			w->eng, cfg->metrics[k].interval_ns, ev_measure, w,
			engine_arg((uint32_t)r->slot, (uint32_t)k));
}

/* A run terminated while running: Successful unless a metric already
 * failed or erred (analysis.go: a terminated run is assessed on what it
 * measured; with nothing measured it counts as Successful). */
void analysis_stop(struct world *w, struct analysis_run *r)
{
	enum analysis_phase worst = ANALYSIS_SUCCESSFUL;
	int k;

	if (r->phase != ANALYSIS_RUNNING)
		return;
	for (k = 0; k < r->cfg->n_metrics; k++) {
		enum analysis_phase p =
			analysis_metric_phase(&r->cfg->metrics[k], &r->m[k]);

		if (p == ANALYSIS_FAILED || p == ANALYSIS_ERROR) {
			worst = p;
			run_message(r, k, p);
			break;
		}
	}
	r->phase = worst;
	r->ended_ns = engine_now(w->eng);
	for (k = 0; k < r->cfg->n_metrics; k++)
		engine_cancel(w->eng, r->m[k].timer);
	slot_free(w, r->slot, 1);
	r->slot = -1;
}

/* ---------------------------------------------------------- Flagger */

void analysis_window_reset(struct world *w, struct analysis_window *win,
			   int32_t tmpl)
{
	if (win->slot >= 0 && w->prog.an.wins[win->slot] == win)
		analysis_window_stop(w, win);
	memset(win, 0, sizeof(*win));
	hist_init(&win->latency);
	win->tmpl = tmpl;
	win->slot = slot_take(w, NULL, win);
}

int analysis_check(struct world *w, struct analysis_window *win,
		   const struct analysis_config *cfg, char *msg, size_t n)
{
	int k, rc = 1;

	if (n)
		msg[0] = '\0';
	for (k = 0; k < cfg->n_metrics && rc == 1; k++) {
		const struct metric_config *m = &cfg->metrics[k];
		int no_data;
		double v = analysis_measure(m, win->answered, win->bad,
					    &win->latency, &no_data);

		if (no_data) {
			snprintf(msg, n, "no values found for metric %s",
				 m->name);
			rc = -1;
		} else if (!analysis_in_range(m, v)) {
			out_of_range(m, v, msg, n);
			rc = 0;
		}
	}
	win->answered = win->bad = 0;
	hist_clear(&win->latency);
	delivery_measured(w, rc != 1);
	return rc;
}

void analysis_window_stop(struct world *w, struct analysis_window *win)
{
	if (win->slot >= 0 && w->prog.an.wins[win->slot] == win)
		slot_free(w, win->slot, 0);
	win->slot = -1;
}
