/* plot_impl.h - what the parts of `rollsim plot` share (private to
 * plots/): the variable definitions handed to gnuplot, the data tables,
 * the staged output files and running gnuplot (plot.c); the run's
 * timeline (plot_run.c) and the sweep charts (plot_sweep.c). */
#ifndef RSIM_PLOT_IMPL_H
#define RSIM_PLOT_IMPL_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "plot.h"
#include "sim/core/strbuf.h"

#define PLOT_PATH_MAX 4096
#define NO_VALUE ((double)NAN)   /* NAN is a float */

/* A string being built; oom is sticky, checked once at the end. */
struct plot_text {
	struct strbuf sb;
	int oom;
};
#define PLOT_TEXT_INIT { STRBUF_INIT, 0 }

struct fileset;

struct plotter {
	const char *dir;            /* the run or sweep directory */
	char out_dir[PLOT_PATH_MAX];     /* DIR/plots */
	struct fileset *set;        /* its new files, staged */
	char scripts[PLOT_PATH_MAX];     /* where the *.gp are */
	char gnuplot[PLOT_PATH_MAX];     /* the program */
};

/* Appends printf-style output to t. */
void plot_text_add(struct plot_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends to a fixed buffer, truncating. */
void plot_appendf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* gnuplot variables: name='value'; (quotes made safe), name=number;
 * (nothing when not finite), prefix<i>='value'; */
void plot_gp_str(struct plot_text *t, const char *name, const char *value);
void plot_gp_num(struct plot_text *t, const char *name, double v);
void plot_gp_stri(struct plot_text *t, const char *prefix, int i,
		  const char *value);

/* Data table cells: a "label", a number (NaN when not finite). */
void plot_data_label(FILE *f, const char *s);
void plot_data_num(FILE *f, double v);

/* dir/name into out (PLOT_PATH_MAX); RSIM_EINPUT when too long. */
int plot_join(char *out, const char *dir, const char *name,
	      struct rsim_error *err);

/* The number at a dotted path of o, NaN when absent or not a number. */
double plot_json_num(const cJSON *o, const char *dotted);

/* The string o[key], "" when absent or not a string. */
const char *plot_json_str(const cJSON *o, const char *key);

/* The staged path of DIR/plots/name (in path), which joins the set. */
int plot_stage(const struct plotter *pl, const char *name, char *path,
	       struct rsim_error *err);

/* Writes DIR/plots/NAME.png and NAME.svg (staged) with SCRIPT.gp and the
 * variables in defs. */
int plot_render(const struct plotter *pl, const char *name,
		const char *script, const struct plot_text *defs,
		struct rsim_error *err);

/* A staged data table DIR/plots/name, open for writing (path set), and
 * its closing (RSIM_EIO when anything failed). */
FILE *plot_open_data(const struct plotter *pl, const char *name,
		     char *path, struct rsim_error *err);
int plot_close_data(FILE *f, const char *path, struct rsim_error *err);

/* The plots of a run directory and of a sweep directory. */
int plot_run(const struct plotter *pl, struct rsim_error *err);
int plot_sweep(const struct plotter *pl, struct rsim_error *err);

#endif
