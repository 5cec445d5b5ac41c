/* plot_versions.c - the timeline's bands by version (plot_impl.h): from
 * the run's pods.csv, timeline_versions.csv with, at each instant that
 * changed a pod (the last state of the instant), the ready and not
 * ready pods of every version (ReplicaSet) and the terminating pods;
 * the last state again at the end of the run. timeline.gp stacks them
 * in that order, one colour per version, so v1 keeps its colour across
 * an update and its undo. Without pods.csv (runs written before it),
 * nothing: the timeline keeps its old/new bands.
 */
#include "plot_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void version_row(FILE *f, const struct plot_pods *pp, double t)
{
	int v, n[3], term = 0;

	fprintf(f, "%.9g", t);
	for (v = 0; v < pp->n_ver; v++) {
		plot_pods_count(pp, v, n);
		fprintf(f, ",%d,%d", n[0], n[1]);
		term += n[2];
	}
	fprintf(f, ",%d\n", term);
}

static void version_table(FILE *f, struct plot_pods *pp, double t_end)
{
	int v, i;

	fprintf(f, "time_s");
	for (v = 0; v < pp->n_ver; v++)
		fprintf(f, ",v%d_ready,v%d_not_ready", v + 1, v + 1);
	fprintf(f, ",terminating\n");
	for (i = 0; i < pp->n_rows; i++) {
		if (i + 1 < pp->n_rows && pp->rows[i + 1].t == pp->rows[i].t)
			continue;          /* not the last row of its instant */
		plot_pods_until(pp, pp->rows[i].t);
		version_row(f, pp, pp->rows[i].t);
	}
	if (t_end > pp->rows[pp->n_rows - 1].t)
		version_row(f, pp, t_end);
}

/* The labels and the table's path for timeline.gp: nver, vl1.. */
static void version_defs(struct plot_text *t, const struct plot_pods *pp,
			 const char *path)
{
	char label[160];
	int v;

	plot_gp_str(t, "versions", path);
	plot_gp_num(t, "nver", pp->n_ver);
	for (v = 0; v < pp->n_ver; v++) {
		plot_pods_label(pp, v, label, sizeof(label));
		plot_gp_stri(t, "vl", v + 1, label);
	}
}

int plot_versions(const struct plotter *pl, const struct plot_run_info *ri,
		  struct plot_text *t, struct rsim_error *err)
{
	char path[PLOT_PATH_MAX];
	struct plot_pods pp;
	FILE *f;
	int rc = plot_pods_read(ri->dir, &pp, err);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (!(f = plot_open_data(pl, "timeline_versions.csv", path, err))) {
		plot_pods_release(&pp);
		return err->code;
	}
	version_table(f, &pp, fmax(ri->t_end, isfinite(ri->roll_max)
					      ? ri->roll_max : 0.0));
	rc = plot_close_data(f, path, err);
	if (!rc)
		version_defs(t, &pp, path);
	plot_pods_release(&pp);
	return rc;
}
