/* plot_run.c - the plots of a run directory (plot_impl.h): the pod
 * timeline over the whole run (timeline) and over the rollout window
 * (timeline_rollout), from summary.json, timeline.csv and traffic.csv.
 * The copy handed to gnuplot keeps only the last row of each instant:
 * states that last no time (several rows at one time_s, as the
 * controllers act one after the other at one moment) are not drawn.
 */
#include "plot_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/fileset.h"
#include "sim/report/report.h"

/* Copying timeline.csv: the copy (opened at the header), the rows. A row
 * waits in held until the next row shows that time moved on. */
struct tl_copy {
	FILE *out;
	const char *dst;
	struct plot_run_info *ri;
	int rows;
	int err;                    /* errno of opening dst */
	int k_term;                 /* the terminating column */
	double prev_term;           /* terminating in the last row written */
	char held[1024];
};

/* Writes the held row (the last of its instant) and notes what it
 * changed: the last time the terminating pods went to none. */
static void flush_held(struct tl_copy *c)
{
	double term;

	if (!c->held[0])
		return;
	fputs(c->held, c->out);
	snprintf(c->ri->last_row, sizeof(c->ri->last_row), "%s", c->held);
	term = plot_csv_num(c->held, c->k_term);
	if (term == 0 && c->prev_term > 0)
		c->ri->last_term_gone = strtod(c->held, NULL);
	c->prev_term = term;
	c->held[0] = '\0';
}

/* The same instant: the time_s fields of two rows are the same text. */
static int same_instant(const char *a, const char *b)
{
	size_t n = strcspn(a, ",");

	return n == strcspn(b, ",") && strncmp(a, b, n) == 0;
}

static int copy_line(void *ctx, long ln, const char *line)
{
	struct tl_copy *c = ctx;

	if (ln == 0) {
		if (!(c->out = fopen(c->dst, "w"))) {
			c->err = errno;
			return 1;
		}
		c->k_term = plot_csv_col(line, "terminating");
		fputs(line, c->out);
		c->rows++;
		return 0;
	}
	if (line[0] == '\n')
		return 0;
	c->rows++;
	if (c->held[0] && !same_instant(c->held, line))
		flush_held(c);
	snprintf(c->held, sizeof(c->held), "%s", line);
	return 0;
}

/* Copies timeline.csv (src: its path, for messages) without the states
 * that last no time, and notes its last row and that row's time (time_s,
 * the first column). */
static int copy_timeline(const char *src, const char *dst,
			 struct plot_run_info *ri,
			 struct rsim_error *err)
{
	struct tl_copy c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.dst = dst;
	c.ri = ri;
	ri->last_term_gone = NO_VALUE;
	rc = report_read_csv(ri->dir, REPORT_TIMELINE_FILE, copy_line, &c);
	if (rc < 0)
		return rsim_error_set(err, RSIM_EINPUT, src, "",
				      "cannot read: %s", strerror(errno));
	if (rc > 0)
		return rsim_error_set(err, RSIM_EIO, dst, "",
				      "cannot write: %s", strerror(c.err));
	if (c.out)
		flush_held(&c);
	if (c.out && plot_close_data(c.out, dst, err))
		return err->code;
	if (c.rows < 2 || !strchr(ri->last_row, ','))
		return rsim_error_set(err, RSIM_EINPUT, src, "",
				      "no rows to plot");
	ri->t_last = strtod(ri->last_row, NULL);
	return 0;
}

/* Repeats the last state at time t: gnuplot ends a step plot at its last
 * row, and the state after the last change holds to the end. */
static int extend_timeline(const char *dst, const struct plot_run_info *ri,
			   double t, struct rsim_error *err)
{
	FILE *out;

	if (!(t > ri->t_last))
		return 0;
	if (!(out = fopen(dst, "a")))
		return rsim_error_set(err, RSIM_EIO, dst, "",
				      "cannot write: %s",
				      strerror(errno));
	fprintf(out, "%.9f%s", t, strchr(ri->last_row, ','));
	return plot_close_data(out, dst, err);
}

/* The error columns of traffic.csv, as timeline.gp adds them up. */
static const char *const error_cols[] = {
	"no_endpoint", "refused", "overload", "timeout", "reset",
};
#define N_ERROR_COLS (sizeof(error_cols) / sizeof(*error_cols))

struct tr_scan {
	struct plot_run_info *ri;
	int k[N_ERROR_COLS];
	int k_req;
	size_t cap;                 /* rows ri->traffic has room for */
};

/* Keeps a row's time, requests and errors (plot_traffic_view). */
static int keep_traffic(struct tr_scan *t, const char *line, double errors)
{
	struct plot_run_info *ri = t->ri;
	double *p;

	if ((size_t)ri->traffic_rows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		p = rsim_realloc(ri->tr, 3 * t->cap * sizeof(*p));
		if (!p)
			return 1;
		ri->tr = p;
	}
	p = ri->tr + 3 * (size_t)ri->traffic_rows++;
	p[0] = strtod(line, NULL);
	p[1] = plot_csv_num(line, t->k_req);
	p[2] = errors;
	return 0;
}

void plot_traffic_view(const struct plot_run_info *ri, double x0, double x1,
		       double *req_max, double *err_max)
{
	const double *p;
	int i;

	*req_max = *err_max = 0;
	for (i = 0; i < ri->traffic_rows; i++) {
		p = ri->tr + 3 * i;
		if (!(p[0] < x1 && p[0] + 1 > x0))
			continue;
		*req_max = p[1] > *req_max ? p[1] : *req_max;
		*err_max = p[2] > *err_max ? p[2] : *err_max;
	}
}

static int traffic_line(void *ctx, long ln, const char *line)
{
	struct tr_scan *t = ctx;
	double errors = 0;
	size_t i;

	if (ln == 0) {
		for (i = 0; i < N_ERROR_COLS; i++)
			t->k[i] = plot_csv_col(line, error_cols[i]);
		t->k_req = plot_csv_col(line, "requests");
	}
	if (ln == 0 || line[0] == '\n')
		return 0;
	/* rows are seconds; time_s is the first column */
	t->ri->traffic_end = strtod(line, NULL) + 1.0;
	for (i = 0; i < N_ERROR_COLS; i++)
		errors += t->k[i] >= 0 ? plot_csv_num(line, t->k[i]) : 0;
	if (errors > 0)
		t->ri->last_error_end = t->ri->traffic_end;
	return keep_traffic(t, line, errors);
}

/* Counts and keeps the rows of traffic.csv (none when there is none)
 * and notes the end of its last second and of its last second with
 * errors. */
static int scan_traffic(struct plot_run_info *ri, struct rsim_error *err)
{
	struct tr_scan t;

	memset(&t, 0, sizeof(t));
	t.ri = ri;
	ri->traffic_rows = 0;
	ri->traffic_end = ri->last_error_end = NO_VALUE;
	if (report_read_csv(ri->dir, REPORT_TRAFFIC_FILE, traffic_line, &t)
	    > 0)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	return 0;
}

/* The rollouts' span: the first trigger, and the last rollout's
 * completion (NaN when it did not complete). summary.json without the
 * rollouts list (older runs): its rollout object, which spanned them. */
static void rollout_span(const cJSON *s, double *t0, double *t1)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "rollouts");
	int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;

	if (n < 0) {
		*t0 = plot_json_num(s, "rollout.triggered_s");
		*t1 = plot_json_num(s, "rollout.completed_s");
		return;
	}
	*t0 = *t1 = NO_VALUE;
	if (n == 0)
		return;
	*t0 = plot_json_num(cJSON_GetArrayItem(a, 0), "triggered_s");
	*t1 = plot_json_num(cJSON_GetArrayItem(a, n - 1), "completed_s");
}

/* The latest of t and what happened after the trigger: the last
 * terminating pod gone, the end of the last second with errors. */
static double settle_time(const struct plot_run_info *ri, double t0, double t)
{
	if (ri->last_term_gone > t0 && !(ri->last_term_gone <= t))
		t = ri->last_term_gone;
	if (ri->last_error_end > t0 && !(ri->last_error_end <= t))
		t = ri->last_error_end;
	return t;
}

/* The end of the run: summary.json's until_s when it has one, else the
 * end of the traffic, else the last change plus a short tail (5 %, at
 * least 1 s; summary.json does not say when the run ended). The rollout
 * view: the first trigger to the last completion, the last terminating
 * pod gone or the end of the last second with errors, whichever is
 * last (the end of the run at most, and when the rollout did not
 * complete), a quarter of that (at least 1 s) on either side. */
static void plan_views(const cJSON *s, struct plot_run_info *ri)
{
	double until = plot_json_num(s, "until_s");
	double t0, t1;
	double pad;
	int known = 1;

	rollout_span(s, &t0, &t1);
	if (!isfinite(until))
		until = plot_json_num(s, "run.until_s");
	if (isfinite(until))
		ri->t_end = until;
	else if (ri->traffic_rows > 0)
		ri->t_end = ri->traffic_end;
	else
		known = 0;
	if (!known || !(ri->t_end > ri->t_last))
		ri->t_end = ri->t_last + fmax(1.0, 0.05 * ri->t_last);
	ri->roll_min = ri->roll_max = NO_VALUE;
	ri->t_trigger = t0;
	if (!isfinite(t0))
		return;
	if (isfinite(t1))
		t1 = settle_time(ri, t0, t1);
	if (!isfinite(t1) || t1 > ri->t_end)
		t1 = ri->t_end;
	pad = fmax(1.0, 0.25 * (t1 - t0));
	ri->roll_min = fmax(0.0, t0 - pad);
	ri->roll_max = known ? fmin(t1 + pad, ri->t_end) : t1 + pad;
}

/* Whether the run's Deployment is Recreate: deployment.strategy of
 * summary.json. One written before it had the key is known by its
 * numbers: Recreate shows as maxSurge = maxUnavailable = 0, which
 * RollingUpdate never resolves to. */
static int is_recreate(const cJSON *s, double su, double un)
{
	const char *st = plot_json_str(
		cJSON_GetObjectItemCaseSensitive(s, "deployment"), "strategy");

	if (st[0])
		return strcmp(st, "Recreate") == 0;
	return su == 0 && un == 0;
}

/* Bounds (RollingUpdate: replicas + maxSurge, replicas -
 * maxUnavailable; none for Recreate), title and the rollout times from
 * summary.json. */
static void run_defs(struct plot_text *t, const cJSON *s)
{
	double r = plot_json_num(s, "deployment.replicas");
	double su = plot_json_num(s, "deployment.max_surge");
	double un = plot_json_num(s, "deployment.max_unavailable");
	double seed = plot_json_num(s, "seed");
	char title[256];
	double t0, t1;

	if (isfinite(seed))
		snprintf(title, sizeof(title), "%s (seed %.0f)",
			 plot_json_str(s, "scenario"), seed);
	else
		snprintf(title, sizeof(title), "%s",
			 plot_json_str(s, "scenario"));
	plot_gp_str(t, "title", title);
	if (is_recreate(s, su, un)) {
		if (isfinite(r))
			plot_gp_str(t, "strategy", "Recreate");
	} else if (isfinite(r) && isfinite(su) && isfinite(un)) {
		plot_gp_num(t, "surge_bound", r + su);
		plot_gp_num(t, "avail_bound", r - un);
	}
	rollout_span(s, &t0, &t1);
	plot_gp_num(t, "t_trigger", t0);
	plot_gp_num(t, "t_complete", t1);
}

/* The window of the timeline: --from and --to, else the whole run.
 * RSIM_EINPUT when --from is not before the end of the run. */
static int whole_window(const struct plotter *pl, const struct plot_run_info *ri,
			double *x0, double *x1, struct rsim_error *err)
{
	const struct plot_opts *o = pl->opt;

	*x0 = o && isfinite(o->from) ? o->from : 0;
	*x1 = o && isfinite(o->to) ? o->to : ri->t_end;
	if (*x0 >= ri->t_end)
		return rsim_error_set(err, RSIM_EINPUT, pl->dir, "",
				      "--from %g s is not before the end of "
				      "the run (%g s)", *x0, ri->t_end);
	if (!(*x1 > *x0))
		return rsim_error_set(err, RSIM_EINPUT, pl->dir, "",
				      "--to %g s is not after the start of "
				      "the window (%g s)", *x1, *x0);
	return 0;
}

/* timeline_views.dat: the time window of each view, for the record. */
static int write_views(const struct plotter *pl, double x0, double x1,
		       const struct plot_run_info *ri, struct rsim_error *err)
{
	char path[PLOT_PATH_MAX];
	FILE *f = plot_open_data(pl, "timeline_views.dat", path, err);

	if (!f)
		return err->code;
	fprintf(f, "# view from_s to_s\ntimeline %.9g %.9g\n", x0, x1);
	if (isfinite(ri->roll_min))
		fprintf(f, "timeline_rollout %.9g %.9g\n", ri->roll_min,
			ri->roll_max);
	return plot_close_data(f, path, err);
}

/* The window of one view and the traffic in it. */
static void view_defs(struct plot_text *t, const struct plot_run_info *ri,
		      double x0, double x1)
{
	double req, errs;

	plot_traffic_view(ri, x0, x1, &req, &errs);
	plot_gp_num(t, "xmin", x0);
	plot_gp_num(t, "xmax", x1);
	plot_gp_num(t, "req_view", req);
	plot_gp_num(t, "err_view", errs);
}

/* timeline: the whole run (or --from/--to); timeline_rollout: the
 * rollout window. */
static int plot_run_views(const struct plotter *pl, struct plot_text *t,
			  const struct plot_run_info *ri, struct rsim_error *err)
{
	size_t base = t->sb.len;
	int window = isfinite(pl->opt->from) || isfinite(pl->opt->to);
	char view[96];
	double x0, x1;
	int rc;

	if ((rc = whole_window(pl, ri, &x0, &x1, err)) ||
	    (rc = write_views(pl, x0, x1, ri, err)))
		return rc;
	snprintf(view, sizeof(view), "pods from %g s to %g s", x0, x1);
	view_defs(t, ri, x0, x1);
	plot_gp_str(t, "view", window ? view : "pods over the whole run");
	if ((rc = plot_render(pl, "timeline", "timeline", t, err)) ||
	    !isfinite(ri->roll_min))
		return rc;
	t->sb.len = base;          /* the views differ from here on */
	t->sb.buf[base] = '\0';
	view_defs(t, ri, ri->roll_min, ri->roll_max);
	plot_gp_str(t, "view", "the rollout");
	return plot_render(pl, "timeline_rollout", "timeline", t, err);
}

int plot_run_load(const struct plotter *pl, const char *dir,
		  const char *steps_name, struct plot_run_info *ri,
		  struct rsim_error *err)
{
	char tl[PLOT_PATH_MAX];
	int rc;

	memset(ri, 0, sizeof(*ri));
	ri->dir = dir;
	if ((rc = plot_join(tl, dir, REPORT_TIMELINE_FILE, err)) ||
	    (rc = plot_join(ri->traffic, dir, REPORT_TRAFFIC_FILE, err)) ||
	    (rc = plot_stage(pl, steps_name, ri->steps, err)))
		return rc;
	if ((rc = report_read_summary(dir, &ri->summary, err)))
		return rc;
	if ((rc = scan_traffic(ri, err)))
		return rc;
	if ((rc = copy_timeline(tl, ri->steps, ri, err)))
		return rc;
	plan_views(ri->summary, ri);
	return extend_timeline(ri->steps, ri, fmax(ri->t_end, isfinite(
		ri->roll_max) ? ri->roll_max : 0.0), err);
}

void plot_run_info_release(struct plot_run_info *ri)
{
	cJSON_Delete(ri->summary);
	ri->summary = NULL;
	free(ri->tr);
	ri->tr = NULL;
}

int plot_run(const struct plotter *pl, struct rsim_error *err)
{
	struct plot_run_info ri;
	struct plot_text t = PLOT_TEXT_INIT;
	int rc;

	rc = plot_run_load(pl, pl->dir, "timeline_steps.csv", &ri, err);
	if (!rc) {
		run_defs(&t, ri.summary);
		plot_gp_str(&t, "timeline", ri.steps);
		plot_gp_str(&t, "traffic", ri.traffic);
		plot_gp_num(&t, "has_traffic", ri.traffic_rows > 0);
		plot_gp_num(&t, "ymax_fixed", pl->opt->ymax);
		rc = plot_versions(pl, &ri, &t, err);
	}
	if (!rc) {
		rc = t.oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory")
			   : plot_run_views(pl, &t, &ri, err);
	}
	if (!rc && pl->opt->animate)
		rc = plot_animate(pl, &ri, err);
	strbuf_release(&t.sb);
	plot_run_info_release(&ri);
	return rc;
}
