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
	const struct plot_opts *opt;     /* what the command line asked */
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

/* The index of column name in a CSV header line, -1 when absent; the
 * number in column k of a CSV line (NaN when absent or empty). */
int plot_csv_col(const char *header, const char *name);
double plot_csv_num(const char *line, int k);

/* The number at a dotted path of o, NaN when absent or not a number. */
double plot_json_num(const cJSON *o, const char *dotted);

/* The string o[key], "" when absent or not a string. */
const char *plot_json_str(const cJSON *o, const char *key);
/* A sweep's vary value as text: a string without its quotes, anything
 * else as compact JSON (plot_sweep.c). */
void plot_value_text(const cJSON *v, char *out, size_t n);

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

/* What the timeline needs from a run directory; times in s. */
struct plot_run_info {
	const char *dir;            /* the run directory */
	cJSON *summary;             /* its summary.json, owned */
	char steps[PLOT_PATH_MAX];  /* the staged filtered timeline */
	char traffic[PLOT_PATH_MAX];     /* DIR/traffic.csv */
	double t_last;              /* time of the last timeline row */
	double t_end;               /* end of the run (see plan_views) */
	int traffic_rows;           /* data rows in traffic.csv */
	double traffic_end;         /* end of the last traffic second */
	double roll_min, roll_max;  /* the rollout view; NaN: no rollout */
	double t_trigger;           /* the first trigger, NaN: none */
	double last_term_gone;      /* the last terminating pod gone, NaN */
	double last_error_end;      /* end of the last second with errors */
	double *tr;                 /* per row: time_s, requests, errors */
	char last_row[1024];        /* the last timeline row */
};

/* Reads the run in dir: summary.json, traffic.csv, and timeline.csv
 * into the staged table steps_name (the last row of each instant, the
 * last state repeated at the end of the run); plans its views. Release
 * with plot_run_info_release, also after an error. */
int plot_run_load(const struct plotter *pl, const char *dir,
		  const char *steps_name, struct plot_run_info *ri,
		  struct rsim_error *err);
void plot_run_info_release(struct plot_run_info *ri);

/* The most requests and errors in a second of traffic.csv that shows in
 * the window [x0, x1] (0 when none does). */
void plot_traffic_view(const struct plot_run_info *ri, double x0, double x1,
		       double *req_max, double *err_max);

/* The data lines of a CSV file: fn(ctx, header, line), each line
 * without its newline; a non-zero return (RSIM_ENOMEM) stops. Returns 0,
 * RSIM_E* with err filled, or -1 when the file does not exist. */
typedef int (*plot_line_fn)(void *ctx, const char *header, const char *line);
int plot_read_table(const char *path, plot_line_fn fn, void *ctx,
		    struct rsim_error *err);

/* pods.csv (plot_pods.c): its rows, the versions (ReplicaSets) and the
 * pods as of the last plot_pods_until. */
#define PLOT_MAX_VER 6
struct plot_pod_row {
	double t;
	char pod[96], rs[96];
	int rev, ready, term, gone;
};
struct plot_pod_state {
	char name[96];
	int ver, ready, term;
};
struct plot_pods {
	struct plot_pod_row *rows;
	int n_rows;
	int next;                   /* rows applied so far */
	char ver[PLOT_MAX_VER][96]; /* the ReplicaSet of each version */
	char revs[PLOT_MAX_VER][48];     /* its revisions: "1, 3" */
	int last_rev[PLOT_MAX_VER];
	int n_ver;
	struct plot_pod_state *pods;
	int n_pods;
};

/* Reads dir/pods.csv: 0, -1 (no pods.csv, or no rows), RSIM_E*. */
int plot_pods_read(const char *dir, struct plot_pods *pp,
		   struct rsim_error *err);
/* Applies the rows up to time t (t never decreases between calls). */
void plot_pods_until(struct plot_pods *pp, double t);
/* Version v's pods now: n[0] ready, n[1] not ready, n[2] terminating. */
void plot_pods_count(const struct plot_pods *pp, int v, int n[3]);
/* "flask-app-66c78968f9 (rev 1, 3)" */
void plot_pods_label(const struct plot_pods *pp, int v, char *out, size_t n);
void plot_pods_release(struct plot_pods *pp);

/* Runs gnuplot -e DEFS SCRIPT.gp once (the script writes its own
 * output, named in defs); for the GIF, which has one format only. */
int plot_render_once(const struct plotter *pl, const char *script,
		     const struct plot_text *defs, struct rsim_error *err);

/* The plots of a run directory and of a sweep directory; two runs
 * overlaid (plot_overlay.c); the animated GIF (plot_anim.c). */
int plot_run(const struct plotter *pl, struct rsim_error *err);
int plot_sweep(const struct plotter *pl, struct rsim_error *err);
/* The delivery chart of a sweep (plot_delivery.c): nothing unless it has
 * variants and summary.csv has exposure.new_failed. */
int plot_delivery(const struct plotter *pl, struct rsim_error *err);
int plot_overlay(const struct plotter *pl, struct rsim_error *err);

/* timeline_versions.csv from the run's pods.csv and its variables for
 * timeline.gp (versions, nver, vl1..) into t; nothing without pods.csv
 * (plot_versions.c). */
int plot_versions(const struct plotter *pl, const struct plot_run_info *ri,
		  struct plot_text *t, struct rsim_error *err);
int plot_animate(const struct plotter *pl, const struct plot_run_info *ri,
		 struct rsim_error *err);

#endif
