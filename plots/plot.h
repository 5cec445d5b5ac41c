/* plot.h - `rollsim plot DIR`: render a run or sweep directory with
 * gnuplot (an external program) using the scripts in plots/.
 *
 * A run directory (summary.json, timeline.csv, traffic.csv) gets the pod
 * timeline of the whole run (timeline) and of the rollout window
 * (timeline_rollout, when a rollout was triggered). A sweep directory
 * (sweep.json, summary.csv) gets the duration heatmap over maxSurge x
 * maxUnavailable (heatmap, or heatmap_1, heatmap_2, ... one per variant
 * and combination of other vary values; only when both are varied), the
 * trade-off of mean duration against mean failed requests with 95 % error
 * bars (tradeoff), bars per variant (variants; only with variants), and
 * which variant ships a bad release to the fewest users at what cost
 * (delivery; only with variants and the exposure.* metrics).
 * Each plot is written as NAME.png and NAME.svg into DIR/plots/, next to
 * the small data tables prepared for gnuplot (*.dat, timeline_steps.csv).
 * The files of one call are staged and published together (fileset.h):
 * when anything fails, DIR/plots keeps the files it had.
 */
#ifndef RSIM_PLOT_H
#define RSIM_PLOT_H

#include "sim/core/err.h"

/* What `rollsim plot` was asked for beyond DIR (plot_opts_init: none).
 * Times in simulated seconds; NaN: not given. */
struct plot_opts {
	const char *dir2;           /* a second run: overlay A and B */
	const char *out;            /* write here instead of DIR/plots */
	const char *title;          /* replaces the scenario's title */
	double from, to;            /* the time window of every timeline */
	double ymax;                /* fixed top of the pod axis */
	int width, height;          /* image size in pixels, 0: default */
	int animate;                /* also the animated GIF of the pods */
};

void plot_opts_init(struct plot_opts *o);

/* Parses a time of the command line: "62s", "1m2s", "500ms" or a plain
 * number of seconds (62, 61.5). Returns 0 and *s, or -1. */
int plot_parse_time(const char *text, double *s);

/* Parses --size: "WxH" with 320 <= W, H <= 7680. Returns 0 or -1. */
int plot_parse_size(const char *text, int *w, int *h);

/* Renders every plot of dir and, once all are published, prints the path
 * of each image on stdout, one a line. scripts_dir is where the *.gp
 * scripts are; NULL: $ROLLSIM_PLOTS, else plots/ beside the executable or
 * one or two levels up (./rollsim, build/rel/rollsim), else
 * ../share/rollsim/plots from the executable, else ./plots.
 * Returns 0, RSIM_EINPUT (dir is not a run or sweep directory, or its
 * files cannot be read), RSIM_EIO (gnuplot is not on PATH: err says how to
 * install it; the scripts are missing; gnuplot failed, its messages on
 * stderr; DIR/plots cannot be written) or RSIM_ENOMEM. */
int plot_dir(const char *dir, const char *scripts_dir, struct rsim_error *err);

/* plot_dir with options: with o->dir2, both runs overlaid (overlay.png,
 * .svg) into o->out or DIR/plots; with o->animate, pods.gif too. The
 * other options shape the timelines (title and size every plot).
 * RSIM_EINPUT also for options that do not fit the directory (--to
 * before the run starts, --animate or a second DIR with a sweep). */
int plot_dir_opts(const char *dir, const struct plot_opts *o,
		  const char *scripts_dir, struct rsim_error *err);

#endif
