/* plot_run.c - the plots of a run directory (plot_impl.h): the pod
 * timeline over the whole run (timeline) and over the rollout window
 * (timeline_rollout), from summary.json, timeline.csv and traffic.csv.
 */
#include "plot_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileset.h"
#include "sim/report/report.h"

/* What the timeline needs from a run directory; times in s. */
struct run_info {
	double t_last;              /* time of the last timeline row */
	double t_end;               /* end of the run (see plan_views) */
	int traffic_rows;           /* data rows in traffic.csv */
	double traffic_end;         /* end of the last traffic second */
	double roll_min, roll_max;  /* the rollout view; NaN: no rollout */
	char last_row[1024];        /* the last timeline row */
};

/* Copying timeline.csv: the copy (opened at the header), the rows. */
struct tl_copy {
	FILE *out;
	const char *dst;
	struct run_info *ri;
	int rows;
	int err;                    /* errno of opening dst */
};

static int copy_line(void *ctx, long ln, const char *line)
{
	struct tl_copy *c = ctx;

	if (ln == 0 && !(c->out = fopen(c->dst, "w"))) {
		c->err = errno;
		return 1;
	}
	fputs(line, c->out);
	if (c->rows++ > 0 && line[0] != '\n')
		snprintf(c->ri->last_row, sizeof(c->ri->last_row), "%s",
			 line);
	return 0;
}

/* Copies timeline.csv (src: its path, for messages) and notes its last
 * row and that row's time (time_s, the first column). */
static int copy_timeline(const struct plotter *pl, const char *src,
			 const char *dst, struct run_info *ri,
			 struct rsim_error *err)
{
	struct tl_copy c = { NULL, dst, ri, 0, 0 };
	int rc = report_read_csv(pl->dir, REPORT_TIMELINE_FILE, copy_line, &c);

	if (rc < 0)
		return rsim_error_set(err, RSIM_EINPUT, src, "",
				      "cannot read: %s", strerror(errno));
	if (rc > 0)
		return rsim_error_set(err, RSIM_EIO, dst, "",
				      "cannot write: %s", strerror(c.err));
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
static int extend_timeline(const char *dst, const struct run_info *ri,
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

static int traffic_line(void *ctx, long ln, const char *line)
{
	struct run_info *ri = ctx;

	if (ln > 0 && line[0] != '\n') {
		ri->traffic_rows++;
		/* rows are seconds; time_s is the first column */
		ri->traffic_end = strtod(line, NULL) + 1.0;
	}
	return 0;
}

/* Counts the rows of traffic.csv (none when there is none) and notes
 * the end of its last second. */
static void scan_traffic(const struct plotter *pl, struct run_info *ri)
{
	ri->traffic_rows = 0;
	ri->traffic_end = NO_VALUE;
	report_read_csv(pl->dir, REPORT_TRAFFIC_FILE, traffic_line, ri);
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

/* The end of the run: summary.json's until_s when it has one, else the
 * end of the traffic, else the last change plus a short tail (5 %, at
 * least 1 s; summary.json does not say when the run ended). The rollout
 * view: the first trigger to the last completion (or the end), a quarter
 * of that (at least 1 s) on either side. */
static void plan_views(const cJSON *s, struct run_info *ri)
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
	if (!isfinite(t0))
		return;
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

/* timeline: the whole run; timeline_rollout: the rollout window. */
static int plot_run_views(const struct plotter *pl, struct plot_text *t,
			  const struct run_info *ri, struct rsim_error *err)
{
	size_t base = t->sb.len;
	int rc;

	plot_gp_num(t, "xmin", 0);
	plot_gp_num(t, "xmax", ri->t_end);
	plot_gp_str(t, "view", "pods over the whole run");
	if ((rc = plot_render(pl, "timeline", "timeline", t, err)) ||
	    !isfinite(ri->roll_min))
		return rc;
	t->sb.len = base;          /* the views differ from here on */
	t->sb.buf[base] = '\0';
	plot_gp_num(t, "xmin", ri->roll_min);
	plot_gp_num(t, "xmax", ri->roll_max);
	plot_gp_str(t, "view", "the rollout");
	return plot_render(pl, "timeline_rollout", "timeline", t, err);
}

int plot_run(const struct plotter *pl, struct rsim_error *err)
{
	char tl[PLOT_PATH_MAX], tr[PLOT_PATH_MAX];
	char steps[PLOT_PATH_MAX];
	struct run_info ri;
	struct plot_text t = PLOT_TEXT_INIT;
	cJSON *s;
	int rc;

	memset(&ri, 0, sizeof(ri));
	if ((rc = plot_join(tl, pl->dir, REPORT_TIMELINE_FILE, err)) ||
	    (rc = plot_join(tr, pl->dir, REPORT_TRAFFIC_FILE, err)) ||
	    (rc = plot_stage(pl, "timeline_steps.csv", steps, err)))
		return rc;
	if ((rc = report_read_summary(pl->dir, &s, err)))
		return rc;
	scan_traffic(pl, &ri);
	rc = copy_timeline(pl, tl, steps, &ri, err);
	if (!rc) {
		plan_views(s, &ri);
		rc = extend_timeline(steps, &ri, fmax(ri.t_end, isfinite(
			ri.roll_max) ? ri.roll_max : 0.0), err);
	}
	if (!rc) {
		run_defs(&t, s);
		plot_gp_str(&t, "timeline", steps);
		plot_gp_str(&t, "traffic", tr);
		plot_gp_num(&t, "has_traffic", ri.traffic_rows > 0);
		rc = t.oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory")
			   : plot_run_views(pl, &t, &ri, err);
	}
	strbuf_release(&t.sb);
	cJSON_Delete(s);
	return rc;
}
