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
 * This file: finding gnuplot and the scripts, running gnuplot, the
 * helpers plot_run.c (a run's timeline) and plot_sweep.c (heatmap,
 * trade-off, variants) share (plot_impl.h), and the entry point.
 */
#include "plot_impl.h"

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

#include "sim/core/file.h"
#include "sim/core/fileset.h"
#include "sim/core/engine.h"
#include "sim/scenario/scenario.h"

extern char **environ;

static const char gnuplot_hint[] =
	"gnuplot not found: install it with \"sudo apt-get install "
	"gnuplot-nox\"";

/* ------------------------------------------------------------ text */

void plot_text_add(struct plot_text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->oom)
		return;
	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || strbuf_grow(&t->sb, (size_t)k)) {
		t->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(t->sb.buf + t->sb.len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	t->sb.len += (size_t)k;
}

void plot_appendf(char *buf, size_t n, const char *fmt, ...)
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
void plot_gp_str(struct plot_text *t, const char *name, const char *value)
{
	const unsigned char *c;

	plot_text_add(t, "%s='", name);
	for (c = (const unsigned char *)value; *c; c++) {
		if (*c == '\'')
			plot_text_add(t, "''");
		else
			plot_text_add(t, "%c",
				      *c < 0x20 || *c == 0x7f ? ' ' : *c);
	}
	plot_text_add(t, "'; ");
}

void plot_gp_num(struct plot_text *t, const char *name, double v)
{
	if (isfinite(v))
		plot_text_add(t, "%s=%.17g; ", name, v);
}

/* prefix<i>='value' */
void plot_gp_stri(struct plot_text *t, const char *prefix, int i,
		    const char *value)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%d", prefix, i);
	plot_gp_str(t, name, value);
}

/* A label for a data file: in double quotes, which it may not contain. */
void plot_data_label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s,
		      f);
	fputc('"', f);
}

/* "%.17g" or NaN, for the data tables (gnuplot reads NaN as missing). */
void plot_data_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.10g", v);
	else
		fputs(" NaN", f);
}

/* ------------------------------------------------------------ files */

int plot_join(char *out, const char *dir, const char *name,
		struct rsim_error *err)
{
	if (path_join(out, PLOT_PATH_MAX, dir, name))
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

int plot_csv_col(const char *header, const char *name)
{
	size_t n = strlen(name);
	const char *p = header;
	int k = 0;

	for (;;) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\r' ||
						  p[n] == '\n' || !p[n]))
			return k;
		p += strcspn(p, ",\n");
		if (*p != ',')
			return -1;
		p++;
		k++;
	}
}

double plot_csv_num(const char *line, int k)
{
	char *end;
	double v;

	if (k < 0)
		return NO_VALUE;
	for (; k > 0 && *line && *line != '\n'; line++)
		k -= *line == ',';
	if (k > 0)
		return NO_VALUE;
	v = strtod(line, &end);
	return end == line ? NO_VALUE : v;
}

/* The number at a dotted path, NaN when absent or not a number. */
double plot_json_num(const cJSON *o, const char *dotted)
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

const char *plot_json_str(const cJSON *o, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) ? s->valuestring : "";
}

/* ------------------------------------------------------------ gnuplot */

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

	return path_join(p, sizeof(p), dir, "timeline.gp") == 0 && is_file(p);
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
		if (path_join(out, PLOT_PATH_MAX, exe, rel[i]) == 0 &&
		    has_scripts(out))
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

/* gnuplot's gif terminal reports "N frames in animation sequence" on
 * stderr when the file is closed: not a warning, not passed on. */
static int is_frame_count(const char *line)
{
	size_t n = strspn(line, "0123456789");

	return n > 0 && strcmp(line + n, " frames in animation sequence\n")
		== 0;
}

/* Copies the child's output (fd) to our stderr line by line, without
 * the frame count. */
static void relay_output(int fd)
{
	FILE *in = fdopen(fd, "r");
	char line[4096];

	if (!in) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), in))
		if (!is_frame_count(line))
			fputs(line, stderr);
	fclose(in);
}

/* Runs gnuplot -e DEFS SCRIPT; its stdout and stderr go through a pipe
 * to our stderr (relay_output), so stdout lists only the files. */
static int spawn_gnuplot(const struct plotter *pl, const char *defs,
			 const char *script, struct rsim_error *err)
{
	char *argv[5];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, st, fds[2];

	argv[0] = (char *)"gnuplot";
	argv[1] = (char *)"-e";
	argv[2] = (char *)defs;
	argv[3] = (char *)script;
	argv[4] = NULL;
	fflush(stdout);
	fflush(stderr);
	if (pipe(fds))
		return rsim_error_set(err, RSIM_EIO, "", "", "pipe: %s",
				      strerror(errno));
	if (posix_spawn_file_actions_init(&fa)) {
		close(fds[0]);
		close(fds[1]);
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	}
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	rc = posix_spawn(&pid, pl->gnuplot, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc) {
		close(fds[0]);
		return rsim_error_set(err, RSIM_EIO, pl->gnuplot, "",
				      "cannot run: %s", strerror(rc));
	}
	relay_output(fds[0]);
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

/* The options every script honours: width, height and a font scale
 * (against the 1280 x 720 the fonts were chosen for) for --size;
 * user_title for --title. */
static void plot_gp_opts(struct plot_text *d, const struct plot_opts *o)
{
	if (o && o->width > 0) {
		plot_gp_num(d, "width", o->width);
		plot_gp_num(d, "height", o->height);
		plot_gp_num(d, "fontscale", fmin(o->width / 1280.0,
						 o->height / 720.0));
	}
	if (o && o->title)
		plot_gp_str(d, "user_title", o->title);
}

int plot_render_once(const struct plotter *pl, const char *script,
		     const struct plot_text *defs, struct rsim_error *err)
{
	char gp[PLOT_PATH_MAX], file[256];
	struct plot_text d = PLOT_TEXT_INIT;
	int rc;

	snprintf(file, sizeof(file), "%s.gp", script);
	if ((rc = plot_join(gp, pl->scripts, file, err)))
		return rc;
	plot_text_add(&d, "%s", defs->sb.buf);
	plot_gp_opts(&d, pl->opt);
	plot_gp_str(&d, "scripts", pl->scripts);
	rc = d.oom || defs->oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
						 "out of memory")
				: spawn_gnuplot(pl, d.sb.buf, gp, err);
	strbuf_release(&d.sb);
	return rc;
}

/* The staged path of DIR/plots/name (in path), which joins the set. */
int plot_stage(const struct plotter *pl, const char *name, char *path,
		 struct rsim_error *err)
{
	return fileset_add(pl->set, name, path, PLOT_PATH_MAX, err);
}

/* Writes DIR/plots/NAME.png and NAME.svg (staged) with SCRIPT.gp and the
 * variables in defs. */
int plot_render(const struct plotter *pl, const char *name,
		  const char *script, const struct plot_text *defs,
		  struct rsim_error *err)
{
	static const char *const fmts[] = { "png", "svg" };
	char gp[PLOT_PATH_MAX], out[PLOT_PATH_MAX], file[256];
	struct plot_text d = PLOT_TEXT_INIT;
	struct stat st;
	int i, rc = 0;

	if (defs->oom)
		return rsim_error_set(err, RSIM_ENOMEM, "", "",
				      "out of memory");
	snprintf(file, sizeof(file), "%s.gp", script);
	if ((rc = plot_join(gp, pl->scripts, file, err)))
		return rc;
	for (i = 0; !rc && i < 2; i++) {
		snprintf(file, sizeof(file), "%s.%s", name, fmts[i]);
		if ((rc = plot_stage(pl, file, out, err)))
			break;
		strbuf_reset(&d.sb);
		plot_text_add(&d, "%s", defs->sb.buf);
		plot_gp_opts(&d, pl->opt);
		plot_gp_str(&d, "scripts", pl->scripts);
		plot_gp_str(&d, "fmt", fmts[i]);
		plot_gp_str(&d, "out", out);
		rc = d.oom ? rsim_error_set(err, RSIM_ENOMEM, "", "",
					    "out of memory")
			   : spawn_gnuplot(pl, d.sb.buf, gp, err);
		if (!rc && (stat(out, &st) != 0 || st.st_size == 0))
			rc = rsim_error_set(err, RSIM_EIO, pl->out_dir, "",
					    "gnuplot "
					    "wrote no %s (script %s)", file,
					    gp);
	}
	strbuf_release(&d.sb);
	return rc;
}

FILE *plot_open_data(const struct plotter *pl, const char *name,
		       char *path, struct rsim_error *err)
{
	FILE *f;

	if (plot_stage(pl, name, path, err))
		return NULL;
	if (!(f = fopen(path, "w")))
		rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
			       strerror(errno));
	return f;
}

int plot_close_data(FILE *f, const char *path, struct rsim_error *err)
{
	int bad = ferror(f);

	bad |= fclose(f) != 0;
	return bad ? rsim_error_set(err, RSIM_EIO, path, "", "cannot write: %s",
				    strerror(errno)) : 0;
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
		    (n > 4 && strcmp(name + n - 4, ".svg") == 0) ||
		    (n > 4 && strcmp(name + n - 4, ".gif") == 0))
			printf("%s/%s\n", pl->out_dir, name);
	}
}

void plot_opts_init(struct plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->from = o->to = o->ymax = NO_VALUE;
}

int plot_parse_time(const char *text, double *s)
{
	sim_time_t ns;
	char *end;
	double v;

	if (!text || !*text)
		return -1;
	v = strtod(text, &end);
	if (end != text && !*end)
		return isfinite(v) && v >= 0 ? (*s = v, 0) : -1;
	if (scenario_parse_duration(text, &ns))
		return -1;
	*s = (double)ns / (double)SIM_NS_PER_S;
	return 0;
}

int plot_parse_size(const char *text, int *w, int *h)
{
	char *end;
	long a, b;

	if (!text || text[0] < '0' || text[0] > '9')
		return -1;
	a = strtol(text, &end, 10);
	if (*end != 'x' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtol(end + 1, &end, 10);
	if (*end || a < 320 || a > 7680 || b < 320 || b > 7680)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

/* A directory: a run (0), a sweep (1), neither (RSIM_EINPUT, -1). */
static int dir_kind(const char *dir, struct rsim_error *err)
{
	char path[PLOT_PATH_MAX];

	if (!is_dir(dir)) {
		rsim_error_set(err, RSIM_EINPUT, dir, "", "not a directory");
		return -1;
	}
	if (plot_join(path, dir, "sweep.json", err))
		return -1;
	if (is_file(path))
		return 1;
	if (plot_join(path, dir, "summary.json", err))
		return -1;
	if (is_file(path))
		return 0;
	rsim_error_set(err, RSIM_EINPUT, dir, "", "neither a run directory "
		       "(summary.json, from rollsim run --out) nor a sweep "
		       "directory (sweep.json, from rollsim sweep --out)");
	return -1;
}

/* The options that need a run directory: --animate and a second DIR. */
static int check_kinds(const char *dir, const struct plot_opts *o, int sweep,
		       struct rsim_error *err)
{
	int k2;

	if (sweep && o->dir2)
		return rsim_error_set(err, RSIM_EINPUT, dir, "", "two "
				      "directories are overlaid only when both "
				      "are runs, got a sweep");
	if (o->dir2 && o->animate)
		return rsim_error_set(err, RSIM_EINPUT, o->dir2, "", "--animate "
				      "draws one run: give one directory");
	if (sweep && o->animate)
		return rsim_error_set(err, RSIM_EINPUT, dir, "", "--animate "
				      "needs a run directory, got a sweep");
	k2 = o->dir2 ? dir_kind(o->dir2, err) : 0;
	if (k2 < 0)
		return err->code;
	if (k2 > 0)
		return rsim_error_set(err, RSIM_EINPUT, o->dir2, "", "two "
				      "directories are overlaid only when both "
				      "are runs, got a sweep");
	return 0;
}

static int plot_all(struct plotter *pl, int sweep, struct rsim_error *err)
{
	if (sweep)
		return plot_sweep(pl, err);
	if (pl->opt->dir2)
		return plot_overlay(pl, err);
	return plot_run(pl, err);
}

int plot_dir_opts(const char *dir, const struct plot_opts *o,
		  const char *scripts_dir, struct rsim_error *err)
{
	struct plotter pl;
	int sweep, rc;

	memset(&pl, 0, sizeof(pl));
	pl.dir = dir;
	pl.opt = o;
	if ((sweep = dir_kind(dir, err)) < 0)
		return err->code;
	if ((rc = check_kinds(dir, o, sweep, err)))
		return rc;
	if ((rc = find_scripts(scripts_dir, pl.scripts, err)))
		return rc;
	if (find_gnuplot(pl.gnuplot))
		return rsim_error_set(err, RSIM_EIO, "", "", "%s",
				      gnuplot_hint);
	if (o->out)
		snprintf(pl.out_dir, sizeof(pl.out_dir), "%s", o->out);
	else if ((rc = plot_join(pl.out_dir, dir, "plots", err)))
		return rc;
	if ((rc = fileset_open(pl.out_dir, &pl.set, err)))
		return rc;
	rc = plot_all(&pl, sweep, err);
	if (!rc)
		rc = fileset_commit(pl.set, err);
	if (!rc)
		print_images(&pl);
	fileset_free(pl.set);
	return rc;
}

int plot_dir(const char *dir, const char *scripts_dir, struct rsim_error *err)
{
	struct plot_opts o;

	plot_opts_init(&o);
	return plot_dir_opts(dir, &o, scripts_dir, err);
}
