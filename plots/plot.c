/* plot.c - `rollsim plot DIR` (plot.h): gnuplot input from a run or sweep
 * directory, then gnuplot itself, once per plot and format.
 *
 * The numbers the scripts need are extracted here, in C, into small
 * whitespace tables under DIR/plots/ (no awk or python at run time);
 * names and labels reach gnuplot as -e variable definitions in single
 * quotes (quotes doubled, control characters blanked) through
 * posix_spawn, never through a shell. gnuplot's stdout goes to our
 * stderr, so stdout lists exactly the files written.
 * Non-goals: drawing anything itself; reading runs.csv (summary.csv has
 * the means and 95 % half-widths the plots show).
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sim/core/alloc.h"
#include "sim/core/fileset.h"
#include "sim/scenario/scenario.h"
#include "sim/sweep/sweep_out.h"

extern char **environ;

#define PLOT_PATH_MAX 4096
#define NO_VALUE ((double)NAN)   /* NAN is a float */

static const char gnuplot_hint[] =
	"gnuplot not found: install it with \"sudo apt-get install "
	"gnuplot-nox\"";

static const char path_surge[] = "deployment.strategy.rollingUpdate.maxSurge";
static const char path_unavail[] =
	"deployment.strategy.rollingUpdate.maxUnavailable";

/* ------------------------------------------------------------ text */

/* A growing string; oom is sticky, checked once at the end. */
struct text {
	char *s;
	size_t n, cap;
	int oom;
};

static int text_grow(struct text *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 256;
	char *s;

	while (cap < need)
		cap *= 2;
	if (cap == t->cap)
		return 0;
	if (!(s = rsim_realloc(t->s, cap))) {
		t->oom = 1;
		return -1;
	}
	t->s = s;
	t->cap = cap;
	return 0;
}

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->oom || text_grow(t, t->n + 1))
		return;
	va_start(ap, fmt);
	k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
	if (k < 0) {
		t->oom = 1;
		return;
	}
	if ((size_t)k >= t->cap - t->n) {
		if (text_grow(t, t->n + (size_t)k + 1))
			return;
		va_start(ap, fmt);
		vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
	}
	t->n += (size_t)k;
}

/* Appends to a fixed buffer, truncating. */
static void appendf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void appendf(char *buf, size_t n, const char *fmt, ...)
{
	size_t k = strlen(buf);
	va_list ap;

	if (k + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + k, n - k, fmt, ap);
	va_end(ap);
}

/* name='value'; with value made safe for a single-quoted gnuplot
 * string: ' doubled, control characters turned into spaces. */
static void gp_str(struct text *t, const char *name, const char *value)
{
	const unsigned char *c;

	text_add(t, "%s='", name);
	for (c = (const unsigned char *)value; *c; c++) {
		if (*c == '\'')
			text_add(t, "''");
		else
			text_add(t, "%c", *c < 0x20 || *c == 0x7f ? ' ' : *c);
	}
	text_add(t, "'; ");
}

static void gp_num(struct text *t, const char *name, double v)
{
	if (isfinite(v))
		text_add(t, "%s=%.17g; ", name, v);
}

/* prefix<i>='value' */
static void gp_stri(struct text *t, const char *prefix, int i,
		    const char *value)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%d", prefix, i);
	gp_str(t, name, value);
}

/* A label for a data file: in double quotes, which it may not contain. */
static void data_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s,
		      f);
	fputc('"', f);
}

/* "%.17g" or NaN, for the data tables (gnuplot reads NaN as missing). */
static void data_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.10g", v);
	else
		fputs(" NaN", f);
}

/* ------------------------------------------------------------ files */

static int join(char *out, const char *dir, const char *name,
		struct rsim_error *err)
{
	int k = snprintf(out, PLOT_PATH_MAX, "%s/%s", dir, name);

	if (k < 0 || k >= PLOT_PATH_MAX)
		return rsim_error_set(err, RSIM_EINPUT, dir, "",
				      "path too long");
	return 0;
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A JSON object, read as the scenario loader reads files (nothing after
 * the document, size and nesting bounded). */
static cJSON *read_json(const char *path, struct rsim_error *err)
{
	cJSON *o;

	if (scenario_parse_file(path, &o, err))
		return NULL;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		rsim_error_set(err, RSIM_EINPUT, path, "", "not a JSON object");
		return NULL;
	}
	return o;
}

/* The number at a dotted path, NaN when absent or not a number. */
static double json_num(const cJSON *o, const char *dotted)
{
	char key[64];
	const char *dot;

	while (o && (dot = strchr(dotted, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - dotted), dotted);
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		dotted = dot + 1;
	}
	o = o ? cJSON_GetObjectItemCaseSensitive(o, dotted) : NULL;
	return cJSON_IsNumber(o) ? o->valuedouble : NO_VALUE;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) ? s->valuestring : "";
}

/* ------------------------------------------------------------ gnuplot */

struct plotter {
	const char *dir;            /* the run or sweep directory */
	char out_dir[PLOT_PATH_MAX];     /* DIR/plots */
	struct fileset *set;        /* its new files, staged */
	char scripts[PLOT_PATH_MAX];     /* where the *.gp are */
	char gnuplot[PLOT_PATH_MAX];     /* the program */
};

/* Searches PATH as execvp would (an empty entry is the current
 * directory). */
static int find_gnuplot(char *out)
{
	const char *path = getenv("PATH");
	const char *p, *end;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		int len;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		len = (int)(end - p);
		if (snprintf(out, PLOT_PATH_MAX, "%.*s%sgnuplot", len,
			     p, len ? "/" : "./") < PLOT_PATH_MAX &&
		    is_file(out) && access(out, X_OK) == 0)
			return 0;
		if (!*end)
			return -1;
	}
}

static int has_scripts(const char *dir)
{
	char p[PLOT_PATH_MAX];

	return snprintf(p, sizeof(p), "%s/timeline.gp", dir) < PLOT_PATH_MAX &&
	       is_file(p);
}

/* Next to the executable: DIR/plots, DIR/../plots, DIR/../../plots
 * (build/rel/rollsim in the repository), DIR/../share/rollsim/plots. */
static int scripts_near_exe(char *out)
{
	static const char *const rel[] = {
		"plots", "../plots", "../../plots", "../share/rollsim/plots",
	};
	char exe[PLOT_PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	size_t i;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(*rel); i++)
		if (snprintf(out, PLOT_PATH_MAX, "%s/%s", exe, rel[i]) <
		    PLOT_PATH_MAX && has_scripts(out))
			return 0;
	return -1;
}

static int find_scripts(const char *given, char *out, struct rsim_error *err)
{
	const char *env = getenv("ROLLSIM_PLOTS");
	const char *set = given ? given : env && *env ? env : NULL;

	if (set) {
		snprintf(out, PLOT_PATH_MAX, "%s", set);
		if (has_scripts(out))
			return 0;
		return rsim_error_set(err, RSIM_EIO, out, "",
				      "no gnuplot scripts "
				      "(timeline.gp ...) here%s", given ? ""
				      : " (the directory ROLLSIM_PLOTS names)");
	}
	if (scripts_near_exe(out) == 0)
		return 0;
	snprintf(out, PLOT_PATH_MAX, "plots");
	if (has_scripts(out))
		return 0;
	return rsim_error_set(err, RSIM_EIO, "", "", "cannot find the gnuplot "
			      "scripts (plots/*.gp): set ROLLSIM_PLOTS to their "
			      "directory");
}

/* Runs gnuplot -e DEFS SCRIPT; its stdout goes to our stderr. */
static int spawn_gnuplot(const struct plotter *pl, const char *defs,
			 const char *script, struct rsim_error *err)
{
	char *argv[5];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, st;

	argv[0] = (char *)"gnuplot";
	argv[1] = (char *)"-e";
	argv[2] = (char *)defs;
	argv[3] = (char *)script;
	argv[4] = NULL;
	fflush(stdout);
	fflush(stderr);
	if (posix_spawn_file_actions_init(&fa))
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	rc = posix_spawn(&pid, pl->gnuplot, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return rsim_error_set(err, RSIM_EIO, pl->gnuplot, "",
				      "cannot run: "
				      "%s", strerror(rc));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return rsim_error_set(err, RSIM_EIO, pl->gnuplot, "",
					      "waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return rsim_error_set(err, RSIM_EIO, script, "",
				      "gnuplot failed "
				      "(%s %d); its messages are above",
				      WIFEXITED(st) ? "exit status" : "signal",
				      WIFEXITED(st) ? WEXITSTATUS(st)
						  : WTERMSIG(st));
	return 0;
}

/* The staged path of DIR/plots/name (in path), which joins the set. */
static int stage(const struct plotter *pl, const char *name, char *path,
		 struct rsim_error *err)
{
	return fileset_add(pl->set, name, path, PLOT_PATH_MAX, err);
}

/* Writes DIR/plots/NAME.png and NAME.svg (staged) with SCRIPT.gp and the
 * variables in defs. */
static int render(const struct plotter *pl, const char *name,
		  const char *script, const struct text *defs,
		  struct rsim_error *err)
{
	static const char *const fmts[] = { "png", "svg" };
	char gp[PLOT_PATH_MAX], out[PLOT_PATH_MAX], file[256];
	struct text d = { 0 };
	struct stat st;
	int i, rc = 0;

	if (defs->oom)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	snprintf(file, sizeof(file), "%s.gp", script);
	if ((rc = join(gp, pl->scripts, file, err)))
		return rc;
	for (i = 0; !rc && i < 2; i++) {
		snprintf(file, sizeof(file), "%s.%s", name, fmts[i]);
		if ((rc = stage(pl, file, out, err)))
			break;
		d.n = 0;
		text_add(&d, "%s", defs->s ? defs->s : "");
		gp_str(&d, "scripts", pl->scripts);
		gp_str(&d, "fmt", fmts[i]);
		gp_str(&d, "out", out);
		rc = d.oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory")
			   : spawn_gnuplot(pl, d.s, gp, err);
		if (!rc && (stat(out, &st) != 0 || st.st_size == 0))
			rc = rsim_error_set(err, RSIM_EIO, pl->out_dir, "",
					    "gnuplot "
					    "wrote no %s (script %s)", file,
					    gp);
	}
	free(d.s);
	return rc;
}

static FILE *open_data(const struct plotter *pl, const char *name,
		       char *path, struct rsim_error *err)
{
	FILE *f;

	if (stage(pl, name, path, err))
		return NULL;
	if (!(f = fopen(path, "w")))
		rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
			       strerror(errno));
	return f;
}

static int close_data(FILE *f, const char *path, struct rsim_error *err)
{
	int bad = ferror(f);

	bad |= fclose(f) != 0;
	return bad ? rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
				    strerror(errno)) : 0;
}

/* ------------------------------------------------------------ run */

/* What the timeline needs from a run directory; times in s. */
struct run_info {
	double t_last;              /* time of the last timeline row */
	double t_end;               /* end of the run (see plan_views) */
	int traffic_rows;           /* data rows in traffic.csv */
	double traffic_end;         /* end of the last traffic second */
	double roll_min, roll_max;  /* the rollout view; NaN: no rollout */
	char last_row[1024];        /* the last timeline row */
};

/* Copies timeline.csv and notes its last row. */
static int copy_timeline(const char *src, const char *dst,
			 struct run_info *ri, struct rsim_error *err)
{
	FILE *in = fopen(src, "r"), *out;
	char *line = NULL;
	size_t cap = 0;
	int rows = 0;

	if (!in)
		return rsim_error_set(err, RSIM_EINPUT, src, "",
				      "cannot read: %s",
				      strerror(errno));
	if (!(out = fopen(dst, "w"))) {
		fclose(in);
		return rsim_error_set(err, RSIM_EIO, dst, "",
				      "cannot write: %s",
				      strerror(errno));
	}
	while (getline(&line, &cap, in) > 0) {
		fputs(line, out);
		if (rows++ > 0 && line[0] != '\n')
			snprintf(ri->last_row, sizeof(ri->last_row), "%s",
				 line);
	}
	free(line);
	fclose(in);
	if (close_data(out, dst, err))
		return err->code;
	if (rows < 2 || !strchr(ri->last_row, ','))
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
	return close_data(out, dst, err);
}

/* Counts the rows of traffic.csv and notes the end of its last second. */
static void scan_traffic(const char *path, struct run_info *ri)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int first = 1;

	ri->traffic_rows = 0;
	ri->traffic_end = NO_VALUE;
	while (f && getline(&line, &cap, f) > 0) {
		if (first || line[0] == '\n') {
			first = 0;
			continue;
		}
		ri->traffic_rows++;
		ri->traffic_end = strtod(line,
					 NULL) + 1.0;   /* rows: seconds */
	}
	free(line);
	if (f)
		fclose(f);
}

/* The rollouts' span: the first trigger, and the last rollout's
 * completion (NaN when it did not complete). summary.json without the
 * rollouts list (older runs): its rollout object, which spanned them. */
static void rollout_span(const cJSON *s, double *t0, double *t1)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "rollouts");
	int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;

	if (n < 0) {
		*t0 = json_num(s, "rollout.triggered_s");
		*t1 = json_num(s, "rollout.completed_s");
		return;
	}
	*t0 = *t1 = NO_VALUE;
	if (n == 0)
		return;
	*t0 = json_num(cJSON_GetArrayItem(a, 0), "triggered_s");
	*t1 = json_num(cJSON_GetArrayItem(a, n - 1), "completed_s");
}

/* The end of the run: summary.json's until_s when it has one, else the
 * end of the traffic, else the last change plus a short tail (5 %, at
 * least 1 s; summary.json does not say when the run ended). The rollout
 * view: the first trigger to the last completion (or the end), a quarter
 * of that (at least 1 s) on either side. */
static void plan_views(const cJSON *s, struct run_info *ri)
{
	double until = json_num(s, "until_s");
	double t0, t1;
	double pad;
	int known = 1;

	rollout_span(s, &t0, &t1);
	if (!isfinite(until))
		until = json_num(s, "run.until_s");
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

/* Bounds, title and the rollout times from summary.json. Recreate shows
 * as maxSurge = maxUnavailable = 0 (RollingUpdate never resolves to
 * that): no bounds then. */
static void run_defs(struct text *t, const cJSON *s)
{
	double r = json_num(s, "deployment.replicas");
	double su = json_num(s, "deployment.max_surge");
	double un = json_num(s, "deployment.max_unavailable");
	double seed = json_num(s, "seed");
	char title[256];
	double t0, t1;

	if (isfinite(seed))
		snprintf(title, sizeof(title), "%s (seed %.0f)",
			 json_str(s, "scenario"), seed);
	else
		snprintf(title, sizeof(title), "%s", json_str(s, "scenario"));
	gp_str(t, "title", title);
	if (isfinite(r) && isfinite(su) && isfinite(un) && (su > 0 || un > 0)) {
		gp_num(t, "surge_bound", r + su);
		gp_num(t, "avail_bound", r - un);
	} else if (isfinite(r) && su == 0 && un == 0) {
		gp_str(t, "strategy", "Recreate");
	}
	rollout_span(s, &t0, &t1);
	gp_num(t, "t_trigger", t0);
	gp_num(t, "t_complete", t1);
}

/* timeline: the whole run; timeline_rollout: the rollout window. */
static int plot_run_views(const struct plotter *pl, struct text *t,
			  const struct run_info *ri, struct rsim_error *err)
{
	size_t base = t->n;
	int rc;

	gp_num(t, "xmin", 0);
	gp_num(t, "xmax", ri->t_end);
	gp_str(t, "view", "pods over the whole run");
	if ((rc = render(pl, "timeline", "timeline", t, err)) ||
	    !isfinite(ri->roll_min))
		return rc;
	t->n = base;
	t->s[base] = '\0';
	gp_num(t, "xmin", ri->roll_min);
	gp_num(t, "xmax", ri->roll_max);
	gp_str(t, "view", "the rollout");
	return render(pl, "timeline_rollout", "timeline", t, err);
}

static int plot_run(const struct plotter *pl, struct rsim_error *err)
{
	char sum[PLOT_PATH_MAX], tl[PLOT_PATH_MAX], tr[PLOT_PATH_MAX];
	char steps[PLOT_PATH_MAX];
	struct run_info ri;
	struct text t = { 0 };
	cJSON *s;
	int rc;

	memset(&ri, 0, sizeof(ri));
	if ((rc = join(sum, pl->dir, "summary.json", err)) ||
	    (rc = join(tl, pl->dir, "timeline.csv", err)) ||
	    (rc = join(tr, pl->dir, "traffic.csv", err)) ||
	    (rc = stage(pl, "timeline_steps.csv", steps, err)))
		return rc;
	if (!(s = read_json(sum, err)))
		return err->code;
	scan_traffic(tr, &ri);
	rc = copy_timeline(tl, steps, &ri, err);
	if (!rc) {
		plan_views(s, &ri);
		rc = extend_timeline(steps, &ri, fmax(ri.t_end, isfinite(
			ri.roll_max) ? ri.roll_max : 0.0), err);
	}
	if (!rc) {
		run_defs(&t, s);
		gp_str(&t, "timeline", steps);
		gp_str(&t, "traffic", tr);
		gp_num(&t, "has_traffic", ri.traffic_rows > 0);
		rc = t.oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory")
			   : plot_run_views(pl, &t, &ri, err);
	}
	free(t.s);
	cJSON_Delete(s);
	return rc;
}

/* ------------------------------------------------------------ sweep */

struct sw_point {
	int variant;                /* index into variants, -1 none */
	int valid;                  /* the loader accepted it */
	int ix, iy;                 /* heatmap cell, -1: not on the grid */
	char label[160];            /* vary values, " / " between */
	char group[240];            /* heatmap panel: variant, other values */
	double dur_mean, dur_ci95;  /* rollout.duration_s, s */
	int dur_n;                  /* runs that completed */
	double fail_mean, fail_ci95;     /* requests.failed per run */
	double total_mean;          /* requests.total per run */
};

struct sweep_info {
	cJSON *root;                /* sweep.json, owned */
	const cJSON *vary;          /* plan.vary (path -> list), borrowed */
	const char *scenario;
	double replications;        /* as sweep.json says (NaN: absent) */
	int n_vary;
	int n_variants;
	const char **variants;      /* names: array owned, names borrowed */
	int k_surge, k_unavail;     /* their vary index, -1 when not varied */
	double grid_min_s;          /* least and greatest mean duration on */
	double grid_max_s;          /* the heatmap grid, s (NaN: none) */
	int n_points;
	struct sw_point *pts;       /* owned */
};

/* The JSON text of a vary value; a string without its quotes. */
static void value_text(const cJSON *v, char *out, size_t n)
{
	char *txt;

	if (cJSON_IsString(v)) {
		snprintf(out, n, "%s", v->valuestring);
		return;
	}
	txt = cJSON_PrintUnformatted(v);
	snprintf(out, n, "%s", txt ? txt : "?");
	free(txt);
}

/* The last component of a dotted path: "maxSurge". */
static const char *short_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

static int list_index(const cJSON *list, const cJSON *v)
{
	const cJSON *c;
	int i = 0;

	cJSON_ArrayForEach(c, list) {
		if (cJSON_Compare(c, v, 1))
			return i;
		i++;
	}
	return -1;
}

/* Label, heatmap cell and group of one point of plan.points. */
static void point_describe(const struct sweep_info *si, const cJSON *values,
			   struct sw_point *p)
{
	const cJSON *list;
	char v[64];
	int i = 0;

	p->ix = p->iy = -1;
	p->label[0] = p->group[0] = '\0';
	if (p->variant >= 0)
		appendf(p->group, sizeof(p->group), "variant %s",
			si->variants[p->variant]);
	cJSON_ArrayForEach(list, si->vary) {
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(values,
							     list->string);

		value_text(val, v, sizeof(v));
		appendf(p->label, sizeof(p->label), "%s%s", i ? " / " : "", v);
		if (i == si->k_surge)
			p->ix = list_index(list, val);
		else if (i == si->k_unavail)
			p->iy = list_index(list, val);
		else
			appendf(p->group, sizeof(p->group), "%s%s = %s",
				p->group[0] ? ", " : "",
				short_name(list->string), v);
		i++;
	}
}

static int variant_index(const struct sweep_info *si, const cJSON *name)
{
	int i;

	for (i = 0; cJSON_IsString(name) && i < si->n_variants; i++)
		if (strcmp(si->variants[i], name->valuestring) == 0)
			return i;
	return -1;
}

static int read_points(struct sweep_info *si, const cJSON *plan)
{
	const cJSON *pts = cJSON_GetObjectItemCaseSensitive(plan, "points");
	const cJSON *e;
	int i = 0;

	si->n_points = cJSON_GetArraySize(pts);
	si->pts = rsim_calloc((size_t)si->n_points + 1, sizeof(*si->pts));
	if (!si->pts)
		return RSIM_ENOMEM;
	cJSON_ArrayForEach(e, pts) {
		struct sw_point *p = &si->pts[i++];

		p->variant = variant_index(si,
			cJSON_GetObjectItemCaseSensitive(e, "variant"));
		p->valid = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(e, "valid"));
		point_describe(si, cJSON_GetObjectItemCaseSensitive(e,
								    "values"),
			       p);
		p->dur_mean = p->dur_ci95 = p->fail_mean = NO_VALUE;
		p->fail_ci95 = p->total_mean = NO_VALUE;
	}
	return 0;
}

static int read_plan(struct sweep_info *si, const char *path,
		     struct rsim_error *err)
{
	const cJSON *plan, *v, *c;
	int i = 0;

	if (!(si->root = read_json(path, err)))
		return err->code;
	plan = cJSON_GetObjectItemCaseSensitive(si->root, "plan");
	si->vary = cJSON_GetObjectItemCaseSensitive(plan, "vary");
	if (!cJSON_IsObject(plan) || !cJSON_IsObject(si->vary))
		return rsim_error_set(err, RSIM_EINPUT, path, "plan", "not the "
				      "sweep.json of rollsim sweep (no plan.vary)");
	si->scenario = json_str(plan, "scenario");
	si->replications = json_num(plan, "replications");   /* shown only */
	si->k_surge = si->k_unavail = -1;
	cJSON_ArrayForEach(c, si->vary) {
		if (strcmp(c->string, path_surge) == 0)
			si->k_surge = i;
		if (strcmp(c->string, path_unavail) == 0)
			si->k_unavail = i;
		i++;
	}
	si->n_vary = i;
	v = cJSON_GetObjectItemCaseSensitive(plan, "variants");
	si->variants = rsim_calloc((size_t)cJSON_GetArraySize(v) + 1,
			      sizeof(*si->variants));
	if (!si->variants)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	cJSON_ArrayForEach(c, v)
		if (cJSON_IsString(c))
			si->variants[si->n_variants++] = c->valuestring;
	if (read_points(si, plan))
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	return 0;
}

/* One summary.csv row: the numbers the plots show of its point. */
static int summary_row(void *ctx, const struct sweep_summary_row *r)
{
	struct sweep_info *si = ctx;
	struct sw_point *p;

	if (r->point < 0 || r->point >= si->n_points)
		return 0;
	p = &si->pts[r->point];
	if (strcmp(r->metric, "rollout.duration_s") == 0) {
		p->dur_n = r->n;
		p->dur_mean = r->stat[SWEEP_STAT_MEAN];
		p->dur_ci95 = r->stat[SWEEP_STAT_CI95];
	} else if (strcmp(r->metric, "requests.failed") == 0) {
		p->fail_mean = r->stat[SWEEP_STAT_MEAN];
		p->fail_ci95 = r->stat[SWEEP_STAT_CI95];
	} else if (strcmp(r->metric, "requests.total") == 0) {
		p->total_mean = r->stat[SWEEP_STAT_MEAN];
	}
	return 0;
}

/* ---------------------------------------------------- sweep: heatmap */

/* Tic labels of one vary list: prefix0='0'; prefix1='25%'; ... */
static int gp_list(struct text *t, const struct sweep_info *si, int k,
		   const char *prefix)
{
	const cJSON *list = cJSON_GetArrayItem(si->vary, k), *c;
	char v[64];
	int i = 0;

	cJSON_ArrayForEach(c, list) {
		value_text(c, v, sizeof(v));
		gp_stri(t, prefix, i++, v);
	}
	return i;
}

/* Heatmap cell rows of the points of one group: ix iy mean ci95 n
 * status (1 a mean, 0 invalid, 2 no run completed). */
static int heatmap_data(const struct sweep_info *si, const char *group,
			const char *path, FILE *f, struct rsim_error *err)
{
	int i;

	fprintf(f, "# %s: ix iy mean_duration_s ci95_s n status\n",
		group[0] ? group : "all points");
	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];
		int status = !p->valid ? 0 : isfinite(p->dur_mean) ? 1 : 2;

		if (p->ix < 0 || p->iy < 0 || strcmp(p->group, group) != 0)
			continue;
		fprintf(f, "%d %d", p->ix, p->iy);
		data_num(f, status == 1 ? p->dur_mean : NO_VALUE);
		data_num(f, status == 1 ? p->dur_ci95 : NO_VALUE);
		fprintf(f, " %d %d\n", p->dur_n, status);
	}
	return close_data(f, path, err);
}

static int heatmap_one(const struct plotter *pl, const struct sweep_info *si,
		       const char *group, const char *name,
		       struct rsim_error *err)
{
	char path[PLOT_PATH_MAX], file[64];
	struct text t = { 0 };
	FILE *f;
	int rc;

	snprintf(file, sizeof(file), "%s.dat", name);
	if (!(f = open_data(pl, file, path, err)))
		return err->code;
	if ((rc = heatmap_data(si, group, path, f, err)))
		return rc;
	gp_str(&t, "data", path);
	gp_str(&t, "title", si->scenario);
	gp_str(&t, "group", group);
	gp_num(&t, "nx", gp_list(&t, si, si->k_surge, "xt"));
	gp_num(&t, "ny", gp_list(&t, si, si->k_unavail, "yt"));
	gp_str(&t, "xname", short_name(path_surge));
	gp_str(&t, "yname", short_name(path_unavail));
	gp_num(&t, "reps", si->replications);
	gp_num(&t, "cbmin", isfinite(si->grid_min_s) ? si->grid_min_s : 0);
	gp_num(&t, "cbmax", isfinite(si->grid_max_s) ? si->grid_max_s : 1);
	rc = render(pl, name, "heatmap", &t, err);
	free(t.s);
	return rc;
}

static int first_of_group(const struct sweep_info *si, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (strcmp(si->pts[j].group, si->pts[i].group) == 0)
			return 0;
	return 1;
}

/* One heatmap per group (variant and the values of other vary paths):
 * heatmap, or heatmap_1, heatmap_2, ... when there are several. */
static int plot_heatmaps(const struct plotter *pl, struct sweep_info *si,
			 struct rsim_error *err)
{
	int i, n_groups = 0, k = 0, rc = 0;
	char name[32];

	si->grid_min_s = si->grid_max_s = NO_VALUE;
	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];

		n_groups += first_of_group(si, i);
		if (p->ix < 0 || p->iy < 0 || !p->valid ||
		    !isfinite(p->dur_mean))
			continue;
		if (!(p->dur_mean >= si->grid_min_s))
			si->grid_min_s = p->dur_mean;
		if (!(p->dur_mean <= si->grid_max_s))
			si->grid_max_s = p->dur_mean;
	}
	for (i = 0; !rc && i < si->n_points; i++) {
		if (!first_of_group(si, i))
			continue;
		if (n_groups > 1)
			snprintf(name, sizeof(name), "heatmap_%d", ++k);
		else
			snprintf(name, sizeof(name), "heatmap");
		rc = heatmap_one(pl, si, si->pts[i].group, name, err);
	}
	return rc;
}

/* Valid points with a mean duration (dur) or a mean of failed requests
 * (!dur). */
static int count_means(const struct sweep_info *si, int dur)
{
	int i, n = 0;

	for (i = 0; i < si->n_points; i++)
		n += si->pts[i].valid && isfinite(dur ? si->pts[i].dur_mean
						      : si->pts[i].fail_mean);
	return n;
}

static int has_traffic(const struct sweep_info *si)
{
	int i;

	for (i = 0; i < si->n_points; i++)
		if (si->pts[i].valid && si->pts[i].total_mean > 0)
			return 1;
	return 0;
}

/* --------------------------------------------------- sweep: trade-off */

static int n_blocks(const struct sweep_info *si)
{
	return si->n_variants > 0 ? si->n_variants : 1;
}

static int in_block(const struct sw_point *p, int v, int n_variants)
{
	return p->valid && (n_variants == 0 || p->variant == v);
}

/* One block per variant (gnuplot's index): point dur ci95 fail ci95. */
static int tradeoff_data(const struct plotter *pl, const struct sweep_info *si,
			 char *path, struct rsim_error *err)
{
	FILE *f = open_data(pl, "tradeoff.dat", path, err);
	int v, i;

	if (!f)
		return err->code;
	for (v = 0; v < n_blocks(si); v++) {
		fprintf(f, "%s# %s: point dur_mean_s dur_ci95_s fail_mean "
			"fail_ci95\n", v ? "\n\n" : "",
			si->n_variants ? si->variants[v] : "all points");
		fprintf(f, "-1 NaN NaN NaN NaN\n");   /* no block is empty */
		for (i = 0; i < si->n_points; i++) {
			const struct sw_point *p = &si->pts[i];

			if (!in_block(p, v, si->n_variants))
				continue;
			fprintf(f, "%d", i);
			data_num(f, p->dur_mean);
			data_num(f, p->dur_ci95);
			data_num(f, p->fail_mean);
			data_num(f, p->fail_ci95);
			fputc('\n', f);
		}
	}
	return close_data(f, path, err);
}

/* The text beside point i: its vary values, or its variant's name. */
static const char *point_text(const struct sweep_info *si, int i)
{
	const struct sw_point *p = &si->pts[i];

	if (si->n_vary > 0 || p->variant < 0)
		return p->label;
	return si->variants[p->variant];
}

static int labelled(const struct sw_point *p)
{
	return p->valid && isfinite(p->dur_mean) && isfinite(p->fail_mean);
}

static int same_spot(const struct sw_point *a, const struct sw_point *b)
{
	return a->valid && a->dur_mean == b->dur_mean &&
	       a->fail_mean == b->fail_mean;
}

/* Point j is labelled: no earlier point on its spot has its text. */
static int first_text(const struct sweep_info *si, int j)
{
	int i;

	for (i = 0; i < j; i++)
		if (same_spot(&si->pts[i], &si->pts[j]) &&
		    strcmp(point_text(si, i), point_text(si, j)) == 0)
			return 0;
	return 1;
}

/* Rows x y k "text": the k-th distinct text on one spot (stacked there
 * by the script). Returns the largest k + 1 via *nk. */
static void labels_direct(const struct sweep_info *si, FILE *f, int *nk)
{
	int i, j, k, dup;

	for (i = 0; i < si->n_points; i++) {
		const struct sw_point *p = &si->pts[i];

		if (!labelled(p))
			continue;
		for (j = k = dup = 0; j < i; j++)
			if (same_spot(&si->pts[j], p)) {
				dup |= strcmp(point_text(si, j),
					      point_text(si, i)) == 0;
				k += first_text(si, j);
			}
		if (dup)
			continue;
		fprintf(f, "%.10g %.10g %d ", p->dur_mean, p->fail_mean, k);
		data_label(f, point_text(si, i));
		fputc('\n', f);
		*nk = k + 1 > *nk ? k + 1 : *nk;
	}
}

/* A spot of the trade-off chart with every point on it. */
struct spot {
	double x, y;                /* mean duration (s), mean failed */
	char text[240];             /* their texts, "; " between */
};

/* The text of point i in the table: with its variant when the colour
 * alone would have to tell it. */
static void table_text(const struct sweep_info *si, int i, char *out,
		       size_t n)
{
	const struct sw_point *p = &si->pts[i];

	if (si->n_vary > 0 && p->variant >= 0)
		snprintf(out, n, "%s: %s", si->variants[p->variant], p->label);
	else
		snprintf(out, n, "%s", point_text(si, i));
}

/* The distinct spots, sorted by x then y; returns their number. */
static int collect_spots(const struct sweep_info *si, struct spot *sp)
{
	struct spot tmp;
	char txt[200];
	int i, j, n = 0;

	for (i = 0; i < si->n_points; i++) {
		if (!labelled(&si->pts[i]) || !first_text(si, i))
			continue;
		for (j = 0; j < n && !(sp[j].x == si->pts[i].dur_mean &&
				       sp[j].y == si->pts[i].fail_mean); j++)
			;
		if (j == n) {
			sp[n].x = si->pts[i].dur_mean;
			sp[n].y = si->pts[i].fail_mean;
			sp[n++].text[0] = '\0';
		}
		table_text(si, i, txt, sizeof(txt));
		appendf(sp[j].text, sizeof(sp[j].text), "%s%s",
			sp[j].text[0] ? "; " : "", txt);
	}
	for (i = 1; i < n; i++)          /* insertion sort: n is small */
		for (j = i; j > 0 && (sp[j].x < sp[j - 1].x ||
			(sp[j].x == sp[j - 1].x && sp[j].y < sp[j - 1].y)); j--) {
			tmp = sp[j];
			sp[j] = sp[j - 1];
			sp[j - 1] = tmp;
		}
	return n;
}

/* The axes' spans as tradeoff.gp draws them (15 % headroom). */
static void spans(const struct spot *sp, int n, double *xs, double *ys)
{
	int i;

	*xs = *ys = 0;
	for (i = 0; i < n; i++) {
		*xs = fmax(*xs, sp[i].x);
		*ys = fmax(*ys, sp[i].y);
	}
	*xs = *xs > 0 ? 1.15 * *xs : 1;
	*ys = *ys > 0 ? 1.15 * *ys : 1;
}

/* Two spots so close that texts beside them would overlap: within 15 %
 * of the x axis and 8 % of the y axis (a text is about that big). */
static int crowded(const struct spot *sp, int n)
{
	double xs, ys;
	int i, j;

	spans(sp, n, &xs, &ys);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (fabs(sp[i].x - sp[j].x) < 0.15 * xs &&
			    fabs(sp[i].y - sp[j].y) < 0.08 * ys)
				return 1;
	return 0;
}

/* Numbered spots: spots closer than 3.5 % of the axes share one label
 * ("3", "3,4" or "3-6", numbered left to right); the table of numbers
 * and texts goes to gnuplot as tt0, tt1, ... */
static void labels_table(const struct spot *sp, int n, FILE *f,
			 struct text *t)
{
	double xs, ys;
	char tt[300];
	int i, c;

	spans(sp, n, &xs, &ys);
	xs *= 0.035;
	ys *= 0.035;
	for (c = 0; c < n; c = i) {
		for (i = c + 1; i < n && fabs(sp[i].x - sp[c].x) < xs &&
		     fabs(sp[i].y - sp[c].y) < ys; i++)
			;
		fprintf(f, "%.10g %.10g 0 \"%d%s", sp[c].x, sp[c].y, c + 1,
			i - c > 1 ? (i - c > 2 ? "-" : ",") : "");
		if (i - c > 1)
			fprintf(f, "%d", i);
		fprintf(f, "\"\n");
	}
	for (i = 0; i < n; i++) {
		snprintf(tt, sizeof(tt), "%d: %s", i + 1, sp[i].text);
		gp_stri(t, "tt", i, tt);
	}
	gp_num(t, "ntab", n);
}

/* Direct labels for a handful of spots, else numbers and a table. */
static int tradeoff_labels(const struct plotter *pl,
			   const struct sweep_info *si, char *path,
			   struct text *t, struct rsim_error *err)
{
	FILE *f = open_data(pl, "tradeoff_labels.dat", path, err);
	struct spot *sp = rsim_malloc(((size_t)si->n_points + 1) * sizeof(*sp));
	int n, nk = 1;

	if (!f || !sp) {
		free(sp);
		if (f)
			fclose(f);
		return f ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					  "out of memory")
			 : err->code;
	}
	fprintf(f, "# dur_mean_s fail_mean stack \"label\"\n");
	n = collect_spots(si, sp);
	if (n <= 6 && !crowded(sp, n))
		labels_direct(si, f, &nk);
	else
		labels_table(sp, n, f, t);
	gp_num(t, "nk", nk);
	free(sp);
	return close_data(f, path, err);
}

/* "maxSurge / maxUnavailable": what the vary labels list. */
static void vary_names(const struct sweep_info *si, char *out, size_t n)
{
	const cJSON *c;

	out[0] = '\0';
	cJSON_ArrayForEach(c, si->vary)
		appendf(out, n, "%s%s", out[0] ? " / " : "",
			short_name(c->string));
}

/* nv and the variant names vn0, ...; "(invalid)" after a variant none
 * of whose points the loader accepted. */
static void gp_variants(struct text *t, const struct sweep_info *si)
{
	char name[256];
	int v, i, valid;

	gp_num(t, "nv", n_blocks(si));
	for (v = 0; v < si->n_variants; v++) {
		for (i = valid = 0; i < si->n_points; i++)
			valid |= si->pts[i].variant == v && si->pts[i].valid;
		snprintf(name, sizeof(name), "%s%s", si->variants[v],
			 valid ? "" : " (invalid)");
		gp_stri(t, "vn", v, name);
	}
}

static int plot_tradeoff(const struct plotter *pl, const struct sweep_info *si,
			 struct rsim_error *err)
{
	char data[PLOT_PATH_MAX], labels[PLOT_PATH_MAX], names[200];
	char note[256];
	struct text t = { 0 };
	int rc;

	if ((rc = tradeoff_data(pl, si, data, err)) ||
	    (rc = tradeoff_labels(pl, si, labels, &t, err))) {
		free(t.s);
		return rc;
	}
	gp_str(&t, "data", data);
	gp_str(&t, "labels", labels);
	gp_str(&t, "title", si->scenario);
	gp_num(&t, "reps", si->replications);
	gp_num(&t, "has_traffic", has_traffic(si));
	gp_num(&t, "nvalid", count_means(si, 1));
	gp_variants(&t, si);
	vary_names(si, names, sizeof(names));
	if (si->n_vary > 0) {
		snprintf(note, sizeof(note), "labels: %s", names);
		gp_str(&t, "labelnote", note);
	}
	rc = render(pl, "tradeoff", "tradeoff", &t, err);
	free(t.s);
	return rc;
}

/* ---------------------------------------------------- sweep: variants */

/* The vary combinations in order of first appearance: groups[i] is the
 * first point with that label; returns their number. */
static int label_groups(const struct sweep_info *si, int *groups)
{
	int i, j, n = 0;

	for (i = 0; i < si->n_points; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(si->pts[groups[j]].label,
				   si->pts[i].label) == 0)
				break;
		if (j == n)
			groups[n++] = i;
	}
	return n;
}

static int group_of(const struct sweep_info *si, const int *groups, int n,
		    int i)
{
	int g;

	for (g = 0; g < n; g++)
		if (strcmp(si->pts[groups[g]].label, si->pts[i].label) == 0)
			return g;
	return 0;
}

/* One bar row: x dur ci95 fail ci95 width status n. */
static void bar_row(FILE *f, const struct sw_point *p, double x, double w)
{
	int status = !p->valid ? 0 : isfinite(p->dur_mean) ? 1 : 2;

	fprintf(f, "%.6g", x);
	data_num(f, p->valid ? p->dur_mean : NO_VALUE);
	data_num(f, p->valid ? p->dur_ci95 : NO_VALUE);
	data_num(f, p->valid ? p->fail_mean : NO_VALUE);
	data_num(f, p->valid ? p->fail_ci95 : NO_VALUE);
	fprintf(f, " %g %d %d\n", w, status, p->dur_n);
}

/* Bar positions: one bar per variant, x = variant (no vary) or grouped
 * around x = vary combination; one block per variant. */
static int variants_data(const struct plotter *pl, const struct sweep_info *si,
			 const int *groups, int ng, char *path,
			 struct rsim_error *err)
{
	FILE *f = open_data(pl, "variants.dat", path, err);
	double w = ng > 1 ? 0.8 / si->n_variants : 0.7;
	int v, i;

	if (!f)
		return err->code;
	for (v = 0; v < si->n_variants; v++) {
		fprintf(f, "%s# %s: x dur_mean_s dur_ci95_s fail_mean "
			"fail_ci95 width status n\n", v ? "\n\n" : "",
			si->variants[v]);
		fprintf(f, "%d NaN NaN NaN NaN %g 3 0\n", ng > 1 ? 0 : v, w);
		for (i = 0; i < si->n_points; i++)
			if (si->pts[i].variant == v)
				bar_row(f, &si->pts[i], ng > 1
					? group_of(si, groups, ng, i) +
					  (v - (si->n_variants - 1) / 2.0) * w
					: v, w);
	}
	return close_data(f, path, err);
}

static void gp_tics(struct text *t, const struct sweep_info *si,
		    const int *groups, int ng)
{
	char name[200];
	int i, n = ng > 1 ? ng : si->n_variants;

	gp_num(t, "nt", n);
	for (i = 0; i < n; i++) {
		gp_stri(t, "tl", i, ng > 1 ? si->pts[groups[i]].label
					   : si->variants[i]);
		snprintf(name, sizeof(name), "tp%d", i);
		gp_num(t, name, i);
	}
	vary_names(si, name, sizeof(name));
	gp_str(t, "xname", ng > 1 ? name : "variant");
	gp_num(t, "showkey", ng > 1);
}

static int plot_variants(const struct plotter *pl, const struct sweep_info *si,
			 struct rsim_error *err)
{
	char data[PLOT_PATH_MAX];
	struct text t = { 0 };
	int *groups = rsim_malloc(((size_t)si->n_points + 1) * sizeof(*groups));
	int ng, rc;

	if (!groups)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	ng = label_groups(si, groups);
	rc = variants_data(pl, si, groups, ng, data, err);
	if (!rc) {
		gp_str(&t, "data", data);
		gp_str(&t, "title", si->scenario);
		gp_num(&t, "reps", si->replications);
		gp_num(&t, "has_traffic", has_traffic(si));
		gp_num(&t, "ndur", count_means(si, 1));
		gp_num(&t, "nfail", count_means(si, 0));
		gp_variants(&t, si);
		gp_tics(&t, si, groups, ng);
		rc = render(pl, "variants", "variants", &t, err);
	}
	free(groups);
	free(t.s);
	return rc;
}

static int plot_sweep(const struct plotter *pl, struct rsim_error *err)
{
	struct sweep_info si;
	char path[PLOT_PATH_MAX];
	int rc;

	memset(&si, 0, sizeof(si));
	rc = join(path, pl->dir, "sweep.json", err);
	if (!rc)
		rc = read_plan(&si, path, err);
	if (!rc)
		rc = sweep_summary_read(pl->dir, summary_row, &si, err);
	if (!rc && si.k_surge >= 0 && si.k_unavail >= 0)
		rc = plot_heatmaps(pl, &si, err);
	if (!rc)
		rc = plot_tradeoff(pl, &si, err);
	if (!rc && si.n_variants > 0)
		rc = plot_variants(pl, &si, err);
	free(si.pts);
	free(si.variants);
	cJSON_Delete(si.root);
	return rc;
}

/* ------------------------------------------------------------ entry */

/* Prints the path of every image published, in the order drawn. */
static void print_images(const struct plotter *pl)
{
	size_t i, n;
	const char *name;

	for (i = 0; i < fileset_count(pl->set); i++) {
		name = fileset_name(pl->set, i);
		n = strlen(name);
		if ((n > 4 && strcmp(name + n - 4, ".png") == 0) ||
		    (n > 4 && strcmp(name + n - 4, ".svg") == 0))
			printf("%s/%s\n", pl->out_dir, name);
	}
}

int plot_dir(const char *dir, const char *scripts_dir, struct rsim_error *err)
{
	struct plotter pl;
	char path[PLOT_PATH_MAX];
	int sweep, rc;

	memset(&pl, 0, sizeof(pl));
	pl.dir = dir;
	if (!is_dir(dir))
		return rsim_error_set(err, RSIM_EINPUT, dir, "",
				      "not a directory");
	if ((rc = join(path, dir, "sweep.json", err)))
		return rc;
	sweep = is_file(path);
	if ((rc = join(path, dir, "summary.json", err)))
		return rc;
	if (!sweep && !is_file(path))
		return rsim_error_set(err, RSIM_EINPUT, dir, "",
				      "neither a run "
				      "directory (summary.json, from rollsim run "
				      "--out) nor a sweep directory (sweep.json, "
				      "from rollsim sweep --out)");
	if ((rc = find_scripts(scripts_dir, pl.scripts, err)))
		return rc;
	if (find_gnuplot(pl.gnuplot))
		return rsim_error_set(err, RSIM_EIO, "", "", "%s",
				      gnuplot_hint);
	if ((rc = join(pl.out_dir, dir, "plots", err)))
		return rc;
	if ((rc = fileset_open(pl.out_dir, &pl.set, err)))
		return rc;
	rc = sweep ? plot_sweep(&pl, err) : plot_run(&pl, err);
	if (!rc)
		rc = fileset_commit(pl.set, err);
	if (!rc)
		print_images(&pl);
	fileset_free(pl.set);
	return rc;
}
