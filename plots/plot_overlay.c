/* plot_overlay.c - `rollsim plot A B` (plot_impl.h): two runs on one
 * chart (overlay.png, overlay.svg): the available pods and the pods that
 * count against the surge bound of both runs, and below, when they have
 * traffic, their errors/s; each run labelled by its scenario's name (and
 * its directory when both runs share a name). The tables gnuplot draws
 * from are overlay_a.csv and overlay_b.csv (each run's timeline.csv, the
 * last row of each instant only, as timeline_steps.csv).
 * The window: --from/--to, else from the earlier to the later end of the
 * two rollout views, else both runs whole.
 */
#include "plot_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The name of a run on the chart: "scenario (seed N)", or with its
 * directory's last component when the two names would be the same. */
static void run_label(const struct plot_run_info *ri, int with_dir,
		      char *out, size_t n)
{
	const char *dir = strrchr(ri->dir, '/');
	double seed = plot_json_num(ri->summary, "seed");

	dir = dir && dir[1] ? dir + 1 : ri->dir;
	snprintf(out, n, "%s", plot_json_str(ri->summary, "scenario"));
	if (isfinite(seed))
		plot_appendf(out, n, " (seed %.0f)", seed);
	if (with_dir)
		plot_appendf(out, n, " [%s]", dir);
}

static void overlay_window(const struct plotter *pl,
			   const struct plot_run_info *a,
			   const struct plot_run_info *b, double *x0,
			   double *x1)
{
	if (isfinite(a->roll_min) && isfinite(b->roll_min)) {
		*x0 = fmin(a->roll_min, b->roll_min);
		*x1 = fmax(a->roll_max, b->roll_max);
	} else {
		*x0 = 0;
		*x1 = fmax(a->t_end, b->t_end);
	}
	if (isfinite(pl->opt->from))
		*x0 = pl->opt->from;
	if (isfinite(pl->opt->to))
		*x1 = pl->opt->to;
}

static void overlay_defs(struct plot_text *t, const struct plotter *pl,
			 const struct plot_run_info *a,
			 const struct plot_run_info *b)
{
	char la[256], lb[256];
	double x0, x1;

	run_label(a, 0, la, sizeof(la));
	run_label(b, 0, lb, sizeof(lb));
	if (strcmp(la, lb) == 0) {
		run_label(a, 1, la, sizeof(la));
		run_label(b, 1, lb, sizeof(lb));
	}
	overlay_window(pl, a, b, &x0, &x1);
	plot_gp_str(t, "data_a", a->steps);
	plot_gp_str(t, "data_b", b->steps);
	plot_gp_str(t, "traffic_a", a->traffic);
	plot_gp_str(t, "traffic_b", b->traffic);
	plot_gp_num(t, "has_a", a->traffic_rows > 0);
	plot_gp_num(t, "has_b", b->traffic_rows > 0);
	plot_gp_str(t, "label_a", la);
	plot_gp_str(t, "label_b", lb);
	plot_gp_num(t, "xmin", x0);
	plot_gp_num(t, "xmax", x1);
	plot_gp_num(t, "ymax_fixed", pl->opt->ymax);
}

int plot_overlay(const struct plotter *pl, struct rsim_error *err)
{
	struct plot_run_info a, b;
	struct plot_text t = PLOT_TEXT_INIT;
	int rc;

	memset(&b, 0, sizeof(b));
	rc = plot_run_load(pl, pl->dir, "overlay_a.csv", &a, err);
	if (!rc)
		rc = plot_run_load(pl, pl->opt->dir2, "overlay_b.csv", &b, err);
	if (!rc && isfinite(pl->opt->from) &&
	    !(pl->opt->from < fmax(a.t_end, b.t_end)))
		rc = rsim_error_set(err, RSIM_EINPUT, pl->dir, "",
				    "--from %g s is not before the end of both "
				    "runs (%g s)", pl->opt->from,
				    fmax(a.t_end, b.t_end));
	if (!rc) {
		overlay_defs(&t, pl, &a, &b);
		rc = plot_render(pl, "overlay", "overlay", &t, err);
	}
	strbuf_release(&t.sb);
	plot_run_info_release(&a);
	plot_run_info_release(&b);
	return rc;
}
