/* report_summary.c - the summary object of a run and its human form.
 *
 * Keys as README.md lists them (nested objects: "rollout.duration_s" is
 * summary.rollout.duration_s). A time that did not happen is null.
 * Without any rollout the pod extremes cover the whole run. "rollouts"
 * lists every rollout; "rollout" describes the first one, with the
 * Deployment's conditions at the end of the run. report_read_summary
 * reads a summary.json back (rollsim plot).
 */
#include <stdio.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/file.h"
#include "models/canary_step.h"
#include "models/decide.h"
#include "sim/scenario/scenario.h"
#include "report.h"

static void add_seconds(cJSON *o, const char *key, sim_time_t t_ns)
{
	char buf[48];

	if (t_ns < 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	report_format_seconds(buf, sizeof(buf), sim_ns_to_s(t_ns));
	cJSON_AddRawToObject(o, key, buf);
}

/* A double rounded to 9 decimals, printed without trailing zeros. */
static void add_number(cJSON *o, const char *key, double v)
{
	char buf[48];

	report_format_seconds(buf, sizeof(buf), v);
	cJSON_AddRawToObject(o, key, buf);
}

/* "True ReasonName" -> { "status": "True", "reason": "ReasonName" } */
static void add_condition(cJSON *o, const char *key, const char *text)
{
	cJSON *c = cJSON_AddObjectToObject(o, key);
	const char *sp = text ? strchr(text, ' ') : NULL;
	char status[16];

	if (!sp || sp - text >= (long)sizeof(status)) {
		cJSON_AddNullToObject(c, "status");
		cJSON_AddNullToObject(c, "reason");
		return;
	}
	memcpy(status, text, (size_t)(sp - text));
	status[sp - text] = '\0';
	cJSON_AddStringToObject(c, "status", status);
	cJSON_AddStringToObject(c, "reason", sp + 1);
}

static void add_revision(cJSON *o, int32_t revision)
{
	if (revision < 0)
		cJSON_AddNullToObject(o, "revision");
	else
		cJSON_AddNumberToObject(o, "revision", revision);
}

/* triggered_s, completed_s, duration_s, complete and
 * progress_deadline_exceeded of one rollout. */
static void add_rollout_times(cJSON *o, const struct world_rollout *r)
{
	add_seconds(o, "triggered_s", r->triggered_ns);
	add_seconds(o, "completed_s", r->complete ? r->completed_ns : -1);
	add_seconds(o, "duration_s", r->complete ? r->completed_ns -
						     r->triggered_ns : -1);
	cJSON_AddBoolToObject(o, "complete", r->complete);
	cJSON_AddBoolToObject(o, "progress_deadline_exceeded",
			      r->deadline_exceeded);
}

/* The first rollout. Without one: no times, and whether the Deployment's
 * creation exceeded its deadline; the revision is then the Deployment's. */
static void add_rollout(cJSON *root, const struct world_metrics *m)
{
	cJSON *o = cJSON_AddObjectToObject(root, "rollout");
	struct world_rollout none;

	if (m->n_rollouts > 0) {
		add_rollout_times(o, &m->rollouts[0]);
		add_revision(o, m->rollouts[0].revision);
	} else {
		memset(&none, 0, sizeof(none));
		none.triggered_ns = none.completed_ns = -1;
		none.deadline_exceeded = m->deadline_exceeded;
		add_rollout_times(o, &none);
		add_revision(o, m->revision);
	}
	add_condition(o, "progressing", m->progressing);
	add_condition(o, "available", m->available);
}

static void add_revisions(cJSON *pods, const struct world_metrics *m)
{
	cJSON *o = cJSON_AddObjectToObject(pods, "pod_seconds_by_revision");
	char key[16];
	int32_t i;

	for (i = 0; i < m->n_revisions; i++) {
		snprintf(key, sizeof(key), "%d", i + 1);
		add_number(o, key, m->rev_pod_seconds[i]);
	}
}

static void add_errors(cJSON *o, const char *key, const uint64_t *outcome)
{
	cJSON *e = cJSON_AddObjectToObject(o, key);
	int k;

	for (k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++)
		cJSON_AddNumberToObject(e, traffic_outcome_name(
						   (enum req_outcome)k),
					(double)outcome[k]);
}

static uint64_t failed_of(const uint64_t *outcome)
{
	uint64_t f = 0;
	int k;

	for (k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++)
		f += outcome[k];
	return f;
}

/* rollouts[]: one object per rollout; a list, so runs.csv skips it. */
static void add_rollouts(cJSON *root, const struct world_metrics *m)
{
	cJSON *a = cJSON_AddArrayToObject(root, "rollouts"), *o, *q;
	int32_t i;

	for (i = 0; a && i < m->n_rollouts; i++) {
		const struct world_rollout *r = &m->rollouts[i];

		o = cJSON_CreateObject();
		if (!o)
			return;
		cJSON_AddItemToArray(a, o);
		add_revision(o, r->revision);
		add_rollout_times(o, r);
		cJSON_AddNumberToObject(o, "min_available",
					r->min_available == INT32_MAX
						? 0 : r->min_available);
		cJSON_AddNumberToObject(o, "max_non_terminating",
					r->max_non_terminating);
		q = cJSON_AddObjectToObject(o, "requests");
		cJSON_AddNumberToObject(q, "total",
					(double)(r->outcome[OUTCOME_OK] +
						 failed_of(r->outcome)));
		cJSON_AddNumberToObject(q, "failed",
					(double)failed_of(r->outcome));
		add_errors(q, "errors", r->outcome);
	}
}

static void add_latency(cJSON *o, const struct hist *h)
{
	cJSON *l = cJSON_AddObjectToObject(o, "latency_ms");

	if (h->count == 0) {
		cJSON_AddNullToObject(l, "mean");
		cJSON_AddNullToObject(l, "p50");
		cJSON_AddNullToObject(l, "p90");
		cJSON_AddNullToObject(l, "p99");
		cJSON_AddNullToObject(l, "max");
		return;
	}
	add_number(l, "mean", hist_mean(h) / 1e6);
	add_number(l, "p50", hist_quantile(h, 0.5) / 1e6);
	add_number(l, "p90", hist_quantile(h, 0.9) / 1e6);
	add_number(l, "p99", hist_quantile(h, 0.99) / 1e6);
	add_number(l, "max", h->max / 1e6);
}

/* requests.{total, ok, failed, success_ratio, attempts, errors.*,
 * first_try.*, latency_ms.*} */
static void add_request_counts(cJSON *o, const struct traffic_counts *c)
{
	uint64_t failed = failed_of(c->outcome);
	cJSON *f;

	cJSON_AddNumberToObject(o, "total", (double)c->total);
	cJSON_AddNumberToObject(o, "ok", (double)c->outcome[OUTCOME_OK]);
	cJSON_AddNumberToObject(o, "failed", (double)failed);
	if (c->total > 0)
		add_number(o, "success_ratio",
			   (double)c->outcome[OUTCOME_OK] / (double)c->total);
	else
		cJSON_AddNullToObject(o, "success_ratio");
	cJSON_AddNumberToObject(o, "attempts", (double)c->attempts);
	cJSON_AddNumberToObject(o, "unfinished", (double)c->unfinished);
	add_errors(o, "errors", c->outcome);
	f = cJSON_AddObjectToObject(o, "first_try");
	cJSON_AddNumberToObject(f, "ok", (double)c->first_try[OUTCOME_OK]);
	cJSON_AddNumberToObject(f, "failed", (double)failed_of(c->first_try));
	add_errors(f, "errors", c->first_try);
	add_latency(o, &c->latency);
}

/* requests.before_rollout.{total, ok, failed, errors.*}: those that
 * arrived before the first rollout was triggered (while the Deployment
 * was first created), answered by the end. */
static void add_before(cJSON *o, const struct world_metrics *m)
{
	const uint64_t *b = m->requests_before;

	cJSON_AddNumberToObject(o, "total",
				(double)(b[OUTCOME_OK] + failed_of(b)));
	cJSON_AddNumberToObject(o, "ok", (double)b[OUTCOME_OK]);
	cJSON_AddNumberToObject(o, "failed", (double)failed_of(b));
	add_errors(o, "errors", b);
}

static void add_requests(cJSON *root, const struct world_metrics *m)
{
	cJSON *o = cJSON_AddObjectToObject(root, "requests");

	add_request_counts(o, &m->requests);
	cJSON_AddNumberToObject(o, "aggregated",
				(double)m->requests.aggregated);
	add_number(o, "mean_in_flight", m->mean_in_flight);
	add_request_counts(cJSON_AddObjectToObject(o, "during_rollout"),
			   &m->requests_window);
	add_before(cJSON_AddObjectToObject(o, "before_rollout"), m);
}

/* A time of the release, in seconds from the first rollout's trigger;
 * null when it did not happen (or there was no rollout). */
static void add_since_trigger(cJSON *o, const char *key,
			      const struct world_metrics *m, sim_time_t t_ns)
{
	add_seconds(o, key, t_ns < 0 || m->triggered_ns < 0
				    ? -1 : t_ns - m->triggered_ns);
}

/* exposure.*, delivery.*, cost.*: what the release did to users, how the
 * strategy judged it, what it cost (struct delivery_metrics). */
static void add_delivery(cJSON *root, const struct world_metrics *m)
{
	const struct delivery_metrics *d = &m->delivery;
	cJSON *o = cJSON_AddObjectToObject(root, "exposure");

	cJSON_AddNumberToObject(o, "new_requests", (double)d->new_requests);
	cJSON_AddNumberToObject(o, "new_requests_before_promotion",
				(double)d->new_requests_before_promotion);
	cJSON_AddNumberToObject(o, "new_failed", (double)d->new_failed);
	if (m->requests.total > 0)
		add_number(o, "new_share", (double)d->new_requests /
					   (double)m->requests.total);
	else
		cJSON_AddNullToObject(o, "new_share");
	o = cJSON_AddObjectToObject(root, "delivery");
	cJSON_AddBoolToObject(o, "promoted", d->promoted_ns >= 0);
	add_since_trigger(o, "time_to_promote_s", m, d->promoted_ns);
	cJSON_AddBoolToObject(o, "aborted", d->aborted);
	add_since_trigger(o, "time_to_detect_s", m, d->detected_ns);
	add_since_trigger(o, "time_to_rollback_s", m, d->rolled_back_ns);
	cJSON_AddNumberToObject(o, "measurements", d->measurements);
	cJSON_AddNumberToObject(o, "failed_measurements",
				d->failed_measurements);
	o = cJSON_AddObjectToObject(root, "cost");
	add_number(o, "extra_pod_seconds", d->extra_pod_seconds);
}

static void add_pods(cJSON *root, const struct world_metrics *m)
{
	cJSON *o = cJSON_AddObjectToObject(root, "pods");

	cJSON_AddNumberToObject(o, "max_total", m->max_total);
	cJSON_AddNumberToObject(o, "max_non_terminating",
				m->max_non_terminating);
	cJSON_AddNumberToObject(o, "min_available", m->min_available);
	add_number(o, "pod_seconds", m->pod_seconds);
	cJSON_AddNumberToObject(o, "created", m->pods_created);
	cJSON_AddNumberToObject(o, "restarts", m->restarts);
	cJSON_AddNumberToObject(o, "max_pending", m->max_pending);
	add_revisions(o, m);
}

cJSON *report_summary(const struct world_config *cfg, uint32_t replication,
		      const struct world_metrics *m)
{
	unsigned long failures = rsim_alloc_failures();
	cJSON *root = cJSON_CreateObject(), *o;

	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "scenario", cfg->name);
	cJSON_AddNumberToObject(root, "seed", (double)cfg->seed);
	cJSON_AddNumberToObject(root, "replication", replication);
	add_seconds(root, "until_s", cfg->until_ns);
	o = cJSON_AddObjectToObject(root, "deployment");
	cJSON_AddStringToObject(o, "strategy",
				deploy_strategy_name(m->strategy));
	cJSON_AddNumberToObject(o, "replicas", m->replicas);
	cJSON_AddNumberToObject(o, "max_surge", m->max_surge);
	cJSON_AddNumberToObject(o, "max_unavailable", m->max_unavailable);
	add_rollout(root, m);
	add_rollouts(root, m);
	add_pods(root, m);
	o = cJSON_AddObjectToObject(root, "availability");
	add_number(o, "time_full", m->time_full_frac);
	add_number(o, "time_below_min", m->time_below_min_s);
	add_number(o, "mean_available", m->mean_available);
	add_number(o, "mean_endpoints", m->mean_endpoints);
	add_requests(root, m);
	add_delivery(root, m);
	o = cJSON_AddObjectToObject(root, "events");
	cJSON_AddNumberToObject(o, "total", (double)m->events);
	if (rsim_alloc_failures() != failures) {  /* a cJSON_Add* failed */
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* "1234 (12 refused, 3 reset)" */
static void print_failures(FILE *f, const struct traffic_counts *c)
{
	const char *sep = " (";
	int k;

	fprintf(f, "%llu", (unsigned long long)failed_of(c->outcome));
	for (k = OUTCOME_OK + 1; k < OUTCOME_COUNT; k++) {
		if (!c->outcome[k])
			continue;
		fprintf(f, "%s%llu %s", sep, (unsigned long long)c->outcome[k],
			traffic_outcome_name((enum req_outcome)k));
		sep = ", ";
	}
	fputs(sep[0] == ',' ? ")" : "", f);
}

static void print_requests(FILE *f, const struct world_metrics *m)
{
	const struct traffic_counts *a = &m->requests, *w = &m->requests_window;
	uint64_t n;

	fprintf(f, "  requests       %llu, failed ",
		(unsigned long long)a->total);
	print_failures(f, a);
	if (a->latency.count)
		fprintf(f, "; latency p50 %.1f ms, p99 %.1f ms",
			hist_quantile(&a->latency, 0.5) / 1e6,
			hist_quantile(&a->latency, 0.99) / 1e6);
	fprintf(f, "\n");
	if (m->triggered_ns >= 0) {
		fprintf(f, "  during rollout %llu, failed ",
			(unsigned long long)w->total);
		print_failures(f, w);
		fprintf(f, "\n");
	}
	n = failed_of(m->requests_before);
	if (m->triggered_ns >= 0 && n > 0)
		fprintf(f, "  %llu request%s failed before the first rollout "
			"(the Deployment was starting)\n",
			(unsigned long long)n, n == 1 ? "" : "s");
}

/* A time since the first rollout's trigger, for the human summary. */
static double since_trigger_s(const struct world_metrics *m, sim_time_t t_ns)
{
	return sim_ns_to_s(t_ns - m->triggered_ns);
}

/* What the progressive controller decided: promoted, aborted (and when
 * analysis caught it, when no request went to the new version any
 * more), or neither by the end. */
static void print_delivery(FILE *f, const struct world_metrics *m)
{
	const struct delivery_metrics *d = &m->delivery;

	fprintf(f, "  delivery       ");
	if (d->aborted) {
		fprintf(f, "aborted");
		if (d->detected_ns >= 0)
			fprintf(f, "; analysis failed after %.3f s",
				since_trigger_s(m, d->detected_ns));
		if (d->rolled_back_ns >= 0)
			fprintf(f, "; rolled back after %.3f s",
				since_trigger_s(m, d->rolled_back_ns));
	} else if (d->promoted_ns >= 0) {
		fprintf(f, "promoted after %.3f s",
			since_trigger_s(m, d->promoted_ns));
	} else {
		fprintf(f, "not promoted by the end");
	}
	fprintf(f, "; %d analysis measurements, %d failed\n", d->measurements,
		d->failed_measurements);
}

/* Who saw the new version (requests its pods answered) and the pods it
 * cost beyond spec.replicas; printed when there was a new version. */
static void print_exposure(FILE *f, const struct world_metrics *m)
{
	const struct delivery_metrics *d = &m->delivery;

	if (m->n_rollouts == 0)
		return;
	fprintf(f, "  exposure       ");
	if (m->traffic && m->requests.total > 0)
		fprintf(f, "%llu requests to the new version (%.1f%%), %llu "
			"before promotion, %llu failed; ",
			(unsigned long long)d->new_requests,
			100.0 * (double)d->new_requests /
				(double)m->requests.total,
			(unsigned long long)d->new_requests_before_promotion,
			(unsigned long long)d->new_failed);
	fprintf(f, "%.1f extra pod-seconds\n", d->extra_pod_seconds);
	if (d->progressive)
		print_delivery(f, m);
}

/* One line per rollout: "rollout" alone, "rollout 1", "rollout 2", ...
 * when there are several (those also name their revision). */
static void print_rollouts(FILE *f, const struct world_config *cfg,
			   const struct world_metrics *m)
{
	char label[32];
	int32_t i;

	if (m->n_rollouts == 0)
		fprintf(f, "  rollout        none triggered\n");
	for (i = 0; i < m->n_rollouts; i++) {
		const struct world_rollout *r = &m->rollouts[i];

		if (m->n_rollouts == 1)
			snprintf(label, sizeof(label), "rollout");
		else
			snprintf(label, sizeof(label), "rollout %d", i + 1);
		fprintf(f, "  %-14s triggered at %.3f s, ", label,
			sim_ns_to_s(r->triggered_ns));
		if (r->complete)
			fprintf(f, "complete at %.3f s: %.3f s",
				sim_ns_to_s(r->completed_ns),
				sim_ns_to_s(r->completed_ns - r->triggered_ns));
		else if (r->ended_ns >= 0)
			fprintf(f, "rolled over at %.3f s, not complete",
				sim_ns_to_s(r->ended_ns));
		else
			fprintf(f, "NOT complete by %.3f s",
				sim_ns_to_s(cfg->until_ns));
		if (r->deadline_exceeded)
			fprintf(f, "; progress deadline exceeded");
		if (m->n_rollouts > 1 && r->revision >= 0)
			fprintf(f, " (revision %d)", r->revision);
		fprintf(f, "\n");
	}
}

/* A progressive strategy in one line: its steps, pauses and bounds. */
static void print_progressive(FILE *f, const struct deploy_config *d)
{
	const struct prog_config *p = &d->prog;
	char step[64];
	int32_t i;

	switch (d->strategy) {
	case STRATEGY_CANARY:
		fprintf(f, "  strategy       Argo Rollouts canary, maxSurge %d, "
			"maxUnavailable %d of %d;",
			canary_max_surge(d->replicas, p->canary.max_surge,
					 p->canary.max_unavailable),
			canary_max_unavailable(d->replicas,
					       p->canary.max_surge,
					       p->canary.max_unavailable),
			d->replicas);
		for (i = 0; i < p->canary.n_steps; i++) {
			canary_step_string(&p->canary.steps[i], step,
					   sizeof(step));
			fprintf(f, "%s %s", i ? "," : "", step);
		}
		fprintf(f, "%s\n", p->canary.n_steps ? "" : " no steps");
		break;
	case STRATEGY_BLUE_GREEN:
		fprintf(f, "  strategy       Argo Rollouts blueGreen, ");
		if (!p->bg.auto_promotion)
			fprintf(f, "promoted by hand");
		else
			fprintf(f, "promoted %.0f s after the preview is ready",
				(double)p->bg.auto_promotion_ns / 1e9);
		fprintf(f, ", old pods kept %.0f s\n",
			(double)p->bg.scale_down_delay_ns / 1e9);
		break;
	default:
		fprintf(f, "  strategy       Flagger canary, a check every %.0f s, "
			"rollback after %d failed",
			(double)p->flagger.interval_ns / 1e9,
			p->flagger.threshold);
		if (p->flagger.iterations > 0)
			fprintf(f, ", %d iterations\n", p->flagger.iterations);
		else if (p->flagger.n_step_weights > 0)
			fprintf(f, ", %d step weights\n",
				p->flagger.n_step_weights);
		else
			fprintf(f, ", +%d%% up to %d%%\n",
				p->flagger.step_weight, p->flagger.max_weight);
	}
}

/* The strategy and how its bounds resolve, with the rounding
 * (docs/kubernetes.md §1); the resolved values at the end too when an
 * event changed them. */
static void print_strategy(FILE *f, const struct deploy_config *d,
			   const struct world_metrics *m)
{
	char text[512];

	if (deploy_strategy_progressive(d->strategy)) {
		print_progressive(f, d);
		return;
	}
	decide_bounds_text(d, DECIDE_ARROW, text, sizeof(text));
	if (d->strategy == STRATEGY_RECREATE)
		fprintf(f, "  strategy       %s\n", text);
	else
		fprintf(f, "  strategy       RollingUpdate %s\n", text);
	if (m->strategy != d->strategy || m->replicas != d->replicas ||
	    m->max_surge != deploy_max_surge(d->strategy, d->replicas,
					     d->max_surge, d->max_unavailable) ||
	    m->max_unavailable != deploy_max_unavailable(d->strategy,
							 d->replicas,
							 d->max_surge,
							 d->max_unavailable))
		fprintf(f, "  strategy       at the end: %s, %d replicas, "
			"maxSurge %d, maxUnavailable %d\n",
			m->strategy == STRATEGY_RECREATE ? "Recreate"
							 : "RollingUpdate",
			m->replicas, m->max_surge, m->max_unavailable);
}

const char *report_rollout_failure(const struct world_metrics *m)
{
	const struct world_rollout *last;

	if (m->n_rollouts == 0)
		return NULL;
	last = &m->rollouts[m->n_rollouts - 1];
	if (!last->complete)
		return "did not complete";
	return last->deadline_exceeded ? "exceeded its progress deadline"
				       : NULL;
}

void report_print_human(FILE *f, const struct world_config *cfg,
			const struct world_metrics *m)
{
	const struct deploy_config *d = &cfg->deployment;

	fprintf(f, "%s: %d replicas, seed %llu\n", cfg->name, d->replicas,
		(unsigned long long)cfg->seed);
	print_strategy(f, d, m);
	print_rollouts(f, cfg, m);
	if (m->n_rollouts == 0 && m->deadline_exceeded)
		fprintf(f, "  progress       deadline exceeded "
			"(ProgressDeadlineExceeded)\n");
	fprintf(f, "  pods           at most %d non-terminating, %d in all "
		"(terminating included); %d created\n",
		m->max_non_terminating, m->max_total, m->pods_created);
	fprintf(f, "  availability   at least %d of %d available; full %.1f%% "
		"of the rollout; %.3f s below the minimum\n",
		m->min_available, d->replicas, 100.0 * m->time_full_frac,
		m->time_below_min_s);
	if (m->restarts || m->max_pending)
		fprintf(f, "  pods           %d container restarts; at most %d "
			"pending\n", m->restarts, m->max_pending);
	if (m->traffic)
		print_requests(f, m);
	print_exposure(f, m);
	fprintf(f, "  cost           %.1f pod-seconds; %llu events simulated\n",
		m->pod_seconds, (unsigned long long)m->events);
}

int report_read_summary(const char *dir, cJSON **out, struct rsim_error *err)
{
	char path[4200];
	*out = NULL;
	if (path_join(path, sizeof(path), dir, REPORT_SUMMARY_FILE))
		return rsim_error_set(err, RSIM_EINPUT, dir, "",
				      "path too long");
	if (scenario_parse_file(path, out, err))
		return err->code;
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return rsim_error_set(err, RSIM_EINPUT, path, "",
				      "not a JSON object");
	}
	return 0;
}
