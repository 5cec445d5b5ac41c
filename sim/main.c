/* main.c - the rollsim command: parse the command line, run, map errors
 * to exit codes (0 ok, 2 bad usage or input, 3 internal or I/O error or
 * an interrupted sweep).
 *
 * The options live in one table (options[] below, as git's
 * parse-options): the parser, the synopsis and option list of
 * `rollsim help COMMAND`, and the usage errors (option not taken by the
 * command, missing or bad value, unknown option) are all read from it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "plots/plot.h"
#include "sim/report/apply.h"
#include "sim/report/calib.h"
#include "sim/report/report.h"
#include "sim/report/run.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_calib.h"
#include "sim/sweep/sweep.h"
#include "sim/teach/teach.h"

#define EXIT_FAILED 1
#define EXIT_INPUT 2
#define EXIT_IO 3
#define MAX_SETS 256
#define MAX_POS 1024
#define ESC_MAX 1200                  /* an escaped path or argument */
#define HELP_WIDTH 80                 /* synopsis lines wrap before this */

struct opts {
	const char *pos[MAX_POS];     /* positional arguments */
	int n_pos;
	const char *sets[MAX_SETS];   /* --set PATH=VALUE */
	int n_sets;
	const char *out;
	const char *events[MAX_SETS]; /* --event JSON */
	int n_events;
	const char *view, *speed, *at, *answers;
	const char *from, *to, *title, *ymax, *size;   /* rollsim plot */
	const char *images;           /* rollsim apply --images */
	int json, quiet, resume, fail_on_error, plain, animate;
	uint64_t seed;
	int jobs, shard_k, shard_n, reps;
	unsigned seen;                /* 1u << OPT_* of the options given */
};

/* The commands, as bits of the masks in the option table. */
enum {
	CMD_RUN = 1u << 0, CMD_SWEEP = 1u << 1, CMD_MERGE = 1u << 2,
	CMD_VALIDATE = 1u << 3, CMD_PLOT = 1u << 4, CMD_HELP = 1u << 5,
	CMD_WATCH = 1u << 6, CMD_GET = 1u << 7, CMD_DESCRIBE = 1u << 8,
	CMD_HISTORY = 1u << 9, CMD_EXPLAIN = 1u << 10, CMD_QUIZ = 1u << 11,
	CMD_CALIBRATE = 1u << 12, CMD_APPLY = 1u << 13,
	CMD_ALL = (1u << 14) - 1,
	/* the teaching commands: one run of a scenario, shown as kubectl */
	CMD_TEACH = CMD_WATCH | CMD_GET | CMD_DESCRIBE | CMD_HISTORY |
		    CMD_EXPLAIN | CMD_QUIZ
};

/* The rows of the option table, in the order the help shows them. */
enum {
	OPT_SEED, OPT_IMAGES, OPT_OUT, OPT_JOBS, OPT_SHARD, OPT_REPS, OPT_RESUME,
	OPT_QUIET, OPT_JSON, OPT_SET, OPT_EVENT, OPT_VIEW, OPT_SPEED,
	OPT_PLAIN, OPT_AT, OPT_ANSWERS, OPT_FROM, OPT_TO, OPT_TITLE,
	OPT_YMAX, OPT_SIZE, OPT_ANIMATE, OPT_FAIL, OPT_HELP, N_OPTIONS
};

enum opt_kind {
	OPTK_FLAG,      /* no value: the int at off becomes 1 */
	OPTK_INT,       /* a decimal int in [lo, hi] at off */
	OPTK_U64,       /* a decimal uint64_t at off */
	OPTK_STRING,    /* a non-empty string, the const char * at off */
	OPTK_LIST,      /* NAME=VALUE, appended to the const char *[MAX_SETS]
			 * at off, whose count is the int at off2 */
	OPTK_MANY,      /* a non-empty value, appended as OPTK_LIST does */
	OPTK_SHARD,     /* K/N with lo <= K <= N <= hi: K at off, N at off2 */
	OPTK_HELP       /* prints the command's help, exit 0 */
};

struct option {
	const char *name;       /* "--seed" */
	const char *short_name; /* "-h", or NULL */
	enum opt_kind kind;
	const char *arg;        /* the value's name in the help, e.g. "N" */
	unsigned cmds;          /* CMD_* that take the option */
	unsigned required;      /* CMD_* that need it (no brackets) */
	unsigned listed;        /* CMD_* whose help explains it in a line */
	const char *help;       /* that explanation, lines split by \n */
	size_t off, off2;       /* where the value goes in struct opts */
	int lo, hi;             /* OPTK_INT's range */
};

#define OPT_AT(field) offsetof(struct opts, field)

static const struct option options[N_OPTIONS] = {
	[OPT_SEED] = { "--seed", NULL, OPTK_U64, "N",
		       CMD_RUN | CMD_TEACH | CMD_APPLY, 0,
		       CMD_RUN | CMD_TEACH | CMD_APPLY,
		       "override the scenario's seed", OPT_AT(seed), 0, 0, 0 },
	[OPT_OUT] = { "--out", NULL, OPTK_STRING, "DIR",
		      CMD_RUN | CMD_SWEEP | CMD_MERGE | CMD_PLOT |
		      CMD_CALIBRATE | CMD_APPLY, CMD_MERGE | CMD_CALIBRATE,
		      CMD_RUN | CMD_PLOT | CMD_CALIBRATE | CMD_APPLY,
		      "run, apply: write summary.json, timeline.csv,\n"
		      "traffic.csv, events.log and pods.csv to DIR; plot:\n"
		      "write the plots to DIR instead of the first DIR's\n"
		      "plots/; calibrate: the file (IMAGES.json) to write",
		      OPT_AT(out), 0, 0, 0 },
	[OPT_JOBS] = { "--jobs", NULL, OPTK_INT, "N", CMD_SWEEP, 0, CMD_SWEEP,
		       "worker threads (default: the number of cores)",
		       OPT_AT(jobs), 0, 1, 256 },
	[OPT_SHARD] = { "--shard", NULL, OPTK_SHARD, "K/N", CMD_SWEEP, 0,
			CMD_SWEEP,
			"run only the runs whose number is K-1 mod N",
			OPT_AT(shard_k), OPT_AT(shard_n), 1, 1000000 },
	[OPT_REPS] = { "--replications", NULL, OPTK_INT, "R", CMD_SWEEP, 0,
		       CMD_SWEEP, "override sweep.replications", OPT_AT(reps),
		       0, 1, 1000000 },
	[OPT_RESUME] = { "--resume", NULL, OPTK_FLAG, NULL, CMD_SWEEP, 0,
			 CMD_SWEEP,
			 "keep the runs already in DIR, run the rest",
			 OPT_AT(resume), 0, 0, 0 },
	[OPT_QUIET] = { "--quiet", NULL, OPTK_FLAG, NULL, CMD_SWEEP, 0,
			CMD_SWEEP, "no progress on stderr", OPT_AT(quiet), 0,
			0, 0 },
	[OPT_JSON] = { "--json", NULL, OPTK_FLAG, NULL,
		       CMD_RUN | CMD_CALIBRATE | CMD_APPLY, 0,
		       CMD_RUN | CMD_CALIBRATE | CMD_APPLY,
		       "print summary.json to stdout instead (calibrate:\n"
		       "the report as JSON)", OPT_AT(json),
		       0, 0, 0 },
	[OPT_SET] = { "--set", NULL, OPTK_LIST, "PATH=VALUE",
		      CMD_RUN | CMD_SWEEP | CMD_VALIDATE | CMD_TEACH |
		      CMD_APPLY, 0, CMD_RUN | CMD_TEACH | CMD_APPLY,
		      "override a scenario value by its JSON path, e.g.\n"
		      "--set deployment.replicas=10 (VALUE is JSON, or\n"
		      "else a string; null removes the key)", OPT_AT(sets),
		      OPT_AT(n_sets), 0, 0 },
	[OPT_EVENT] = { "--event", NULL, OPTK_MANY, "JSON", CMD_RUN | CMD_TEACH,
			0, CMD_RUN | CMD_TEACH,
			"append an event to the scenario's events, e.g.\n"
			"--event '{\"at\":\"60s\",\"action\":\"rolloutUndo\"}'",
			OPT_AT(events), OPT_AT(n_events), 0, 0 },
	[OPT_VIEW] = { "--view", NULL, OPTK_STRING, "VIEW", CMD_WATCH, 0,
		       CMD_WATCH,
		       "pods, status, rs, events or board (default: the\n"
		       "board on a terminal, else pods)", OPT_AT(view), 0, 0,
		       0 },
	[OPT_SPEED] = { "--speed", NULL, OPTK_STRING, "X", CMD_WATCH, 0,
			CMD_WATCH,
			"replay X simulated seconds per second (default 1)",
			OPT_AT(speed), 0, 0, 0 },
	[OPT_PLAIN] = { "--plain", NULL, OPTK_FLAG, NULL, CMD_WATCH | CMD_QUIZ,
			0, CMD_WATCH,
			"print the view's transcript, no escape codes",
			OPT_AT(plain), 0, 0, 0 },
	[OPT_AT] = { "--at", NULL, OPTK_STRING, "T", CMD_GET | CMD_DESCRIBE,
		     CMD_GET, CMD_GET | CMD_DESCRIBE,
		     "the simulated time of the snapshot (62s, 1m2s;\n"
		     "describe: the end of the run without it)",
		     OPT_AT(at), 0, 0, 0 },
	[OPT_ANSWERS] = { "--answers", NULL, OPTK_STRING, "FILE", CMD_QUIZ, 0,
			  CMD_QUIZ,
			  "read the answers from FILE, one per line, instead\n"
			  "of the terminal", OPT_AT(answers), 0, 0, 0 },
	[OPT_FROM] = { "--from", NULL, OPTK_STRING, "T", CMD_PLOT, 0, CMD_PLOT,
		       "timelines start at simulated time T (62s, 1m2s, 62)",
		       OPT_AT(from), 0, 0, 0 },
	[OPT_TO] = { "--to", NULL, OPTK_STRING, "T", CMD_PLOT, 0, CMD_PLOT,
		     "timelines end at simulated time T", OPT_AT(to), 0, 0,
		     0 },
	[OPT_TITLE] = { "--title", NULL, OPTK_STRING, "TEXT", CMD_PLOT, 0,
			CMD_PLOT, "the heading of every plot", OPT_AT(title),
			0, 0, 0 },
	[OPT_YMAX] = { "--ymax", NULL, OPTK_STRING, "N", CMD_PLOT, 0,
		       CMD_PLOT,
		       "the pod axis of the timelines goes from 0 to N",
		       OPT_AT(ymax), 0, 0, 0 },
	[OPT_SIZE] = { "--size", NULL, OPTK_STRING, "WxH", CMD_PLOT, 0,
		       CMD_PLOT,
		       "image size in pixels, e.g. 1920x1080 (16:9 slides;\n"
		       "the text grows with the size)", OPT_AT(size), 0, 0,
		       0 },
	[OPT_ANIMATE] = { "--animate", NULL, OPTK_FLAG, NULL, CMD_PLOT, 0,
			  CMD_PLOT, "also pods.gif: the pods over time,\n"
			  "animated", OPT_AT(animate), 0, 0, 0 },
	[OPT_FAIL] = { "--fail-on-error", NULL, OPTK_FLAG, NULL,
		       CMD_RUN | CMD_APPLY, 0, CMD_RUN | CMD_APPLY,
		       "exit 1 when the rollout does not complete or\n"
		       "exceeds its progress deadline", OPT_AT(fail_on_error),
		       0, 0, 0 },
	[OPT_IMAGES] = { "--images", NULL, OPTK_STRING, "FILE", CMD_APPLY, 0,
			 CMD_APPLY, "the images' timings: {\"images\": {...}},\n"
			 "as rollsim calibrate writes it (default: every\n"
			 "timing at its default)", OPT_AT(images), 0, 0, 0 },
	[OPT_HELP] = { "--help", "-h", OPTK_HELP, NULL, CMD_ALL, 0, 0, NULL,
		       0, 0, 0, 0 },
};

struct command {
	const char *name;
	unsigned bit;                 /* CMD_* */
	const char *args;             /* positional arguments' synopsis */
	const char *about;            /* what it does, after the synopsis */
	int (*fn)(struct opts *o);
};

static int exit_code(int rc)
{
	if (rc == 0)
		return 0;
	return rc == RSIM_EINPUT ? EXIT_INPUT : EXIT_IO;
}

static int report_error(const struct rsim_error *err)
{
	char line[1200];

	rsim_error_format(err, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	return exit_code(err->code);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v < (uint64_t)lo || v > (uint64_t)hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Prints the synopsis: "usage: rollsim NAME ARGS" and the options the
 * command takes, in table order, wrapped under the first argument. */
static void help_synopsis(FILE *f, const struct command *c)
{
	char item[64];
	int i, len, indent = (int)(strlen("usage: rollsim ") +
				   strlen(c->name) + 1);

	fprintf(f, "usage: rollsim %s %s", c->name, c->args);
	len = indent + (int)strlen(c->args);
	for (i = 0; i < N_OPTIONS; i++) {
		const struct option *p = &options[i];
		int req = (p->required & c->bit) != 0, n;

		if (!(p->cmds & c->bit) || p->kind == OPTK_HELP)
			continue;
		n = snprintf(item, sizeof(item), "%s%s%s%s%s%s", req ? "" : "[",
			     p->name, p->arg ? " " : "", p->arg ? p->arg : "",
			     p->kind == OPTK_LIST || p->kind == OPTK_MANY ?
			     " ..." : "",
			     req ? "" : "]");
		if (len + 1 + n > HELP_WIDTH) {
			fprintf(f, "\n%*s%s", indent, "", item);
			len = indent + n;
		} else {
			fprintf(f, " %s", item);
			len += 1 + n;
		}
	}
	fputc('\n', f);
}

/* The whole help of a command: synopsis, what it does, one entry per
 * option it explains ("  --name ARG" in 20 columns, then the help). */
static void help_print(FILE *f, const struct command *c)
{
	char head[64];
	const char *s, *nl;
	int i;

	help_synopsis(f, c);
	fputs(c->about, f);
	for (i = 0; i < N_OPTIONS; i++) {
		const struct option *p = &options[i];

		if (!(p->listed & c->bit))
			continue;
		snprintf(head, sizeof(head), "%s%s%s", p->name,
			 p->arg ? " " : "", p->arg ? p->arg : "");
		for (s = p->help; s; s = nl ? nl + 1 : NULL) {
			nl = strchr(s, '\n');
			fprintf(f, "  %-18s%.*s\n", s == p->help ? head : "",
				nl ? (int)(nl - s) : (int)strlen(s), s);
		}
	}
}

/* "rollsim: MSG ARG" (the argument escaped) and the command's help, on
 * stderr. */
static int usage_error(const struct command *c, const char *msg,
		       const char *arg)
{
	char e[ESC_MAX];

	fprintf(stderr, "rollsim: %s%s%s\n", msg, arg ? " " : "",
		arg ? rsim_escape(arg, e, sizeof(e)) : "");
	help_print(stderr, c);
	return EXIT_INPUT;
}

/* A command's own usage error (its positional arguments): MSG [ARG] and
 * the short usage line. */
static int args_error(const char *usage, const char *msg, const char *arg)
{
	char e[ESC_MAX];

	fprintf(stderr, "rollsim: %s%s%s\n%s", msg, arg ? " " : "",
		arg ? rsim_escape(arg, e, sizeof(e)) : "", usage);
	return EXIT_INPUT;
}

static const struct option *option_find(const char *a)
{
	int i;

	for (i = 0; i < N_OPTIONS; i++)
		if (strcmp(a, options[i].name) == 0 ||
		    (options[i].short_name &&
		     strcmp(a, options[i].short_name) == 0))
			return &options[i];
	return NULL;
}

/* K/N into p's two ints; -1 when malformed or out of range. */
static int parse_shard(const struct option *p, const char *v, char *base)
{
	int *k = (int *)(base + p->off), *n = (int *)(base + p->off2);
	const char *slash = strchr(v, '/');
	char ks[32];

	if (!slash)
		return -1;
	snprintf(ks, sizeof(ks), "%.*s", (int)(slash - v), v);
	return parse_int(ks, p->lo, p->hi, k) ||
	       parse_int(slash + 1, p->lo, p->hi, n) || *k > *n ? -1 : 0;
}

/* Stores v, the value of option p, where the table says; -1 when v is
 * not a value of p's kind. */
static int option_store(const struct option *p, const char *v,
			struct opts *o)
{
	char *base = (char *)o;
	int *count;

	switch (p->kind) {
	case OPTK_INT:
		return parse_int(v, p->lo, p->hi, (int *)(base + p->off));
	case OPTK_U64:
		return parse_u64(v, (uint64_t *)(base + p->off));
	case OPTK_STRING:
		*(const char **)(base + p->off) = v;
		return *v ? 0 : -1;         /* "" names nothing */
	case OPTK_LIST:
		count = (int *)(base + p->off2);
		if (*count == MAX_SETS || !strchr(v, '='))
			return -1;
		((const char **)(base + p->off))[(*count)++] = v;
		return 0;
	case OPTK_MANY:
		count = (int *)(base + p->off2);
		if (*count == MAX_SETS || !*v)
			return -1;
		((const char **)(base + p->off))[(*count)++] = v;
		return 0;
	case OPTK_SHARD:
		return parse_shard(p, v, base);
	default:
		return -1;
	}
}

/* One option at argv[*i] (its value, if any, consumed). Returns 0, -1
 * after --help, or the exit status of a usage error. */
static int parse_option(const struct command *c, const struct option *p,
			int argc, char **argv, int *i, struct opts *o)
{
	const char *a = argv[*i];

	if (!(p->cmds & c->bit))
		return usage_error(c, "option does not apply to this command:",
				   a);
	o->seen |= 1u << (p - options);
	if (p->kind == OPTK_HELP) {
		help_print(stdout, c);
		return -1;
	}
	if (p->kind == OPTK_FLAG) {
		*(int *)((char *)o + p->off) = 1;
		return 0;
	}
	if (*i + 1 >= argc || option_store(p, argv[++*i], o))
		return usage_error(c, "bad or missing value for", a);
	return 0;
}

static int parse_opts(const struct command *c, int argc, char **argv,
		      struct opts *o)
{
	int i, rc;

	memset(o, 0, sizeof(*o));
	o->shard_k = o->shard_n = 1;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct option *p = option_find(a);

		if (p) {
			if ((rc = parse_option(c, p, argc, argv, &i, o)))
				return rc;
		} else if (a[0] == '-' && a[1]) {
			return usage_error(c, "unknown option", a);
		} else if (o->n_pos < MAX_POS) {
			o->pos[o->n_pos++] = a;
		}
	}
	return 0;
}

/* Prints the run's summary: summary.json with --json, else the human
 * form. */
static int output(const struct opts *o, const struct world_config *cfg,
		  const struct world_metrics *m, const cJSON *sum)
{
	char *text, e[ESC_MAX];

	if (!o->json) {
		report_print_human(stdout, cfg, m);
		if (o->out)
			printf("  files          %s/{summary.json,timeline.csv,"
			       "traffic.csv,events.log,pods.csv}\n",
			       rsim_escape(o->out, e, sizeof(e)));
		return 0;
	}
	text = cJSON_Print(sum);
	if (!text) {
		fprintf(stderr, "rollsim: out of memory\n");
		return EXIT_IO;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}

/* Loads file with the --set and --event of o; a manifest's note (what
 * was assumed to run it) goes to stderr. */
static int load_input(const struct opts *o, const char *file,
		      struct world_config *cfg, struct rsim_error *err)
{
	struct scenario_input in = { 0 };
	char note[600], e[ESC_MAX];
	int rc;

	in.file = file;
	in.sets = o->sets;
	in.n_sets = o->n_sets;
	in.events = o->events;
	in.n_events = o->n_events;
	rc = scenario_load_input(&in, cfg, note, sizeof(note), err);
	if (!rc && note[0])
		fprintf(stderr, "rollsim: %s\n", rsim_escape(note, e, sizeof(e)));
	return rc;
}

/* Runs a loaded cfg as `run` does: the summary or the error, then
 * --fail-on-error judged on its last rollout; label (the input file)
 * names it in messages. cfg stays the caller's. */
static int run_report(const struct opts *o, const struct world_config *cfg,
		      const char *label)
{
	struct world_metrics m;
	struct rsim_error err = { 0 };
	const char *failure;
	cJSON *sum;
	world *w;
	char e[ESC_MAX];
	int rc = run_once(cfg, o->out, label, &m, &sum, &w, &err);

	rc = rc ? report_error(&err) : output(o, cfg, &m, sum);
	cJSON_Delete(sum);
	failure = w ? report_rollout_failure(&m) : NULL;
	if (!rc && o->fail_on_error && failure) {
		fprintf(stderr, "rollsim: %s: the %srollout %s\n",
			rsim_escape(label, e, sizeof(e)),
			m.n_rollouts > 1 ? "last " : "", failure);
		rc = EXIT_FAILED;
	}
	world_free(w);    /* before cfg, which it borrows */
	return rc;
}

static int cmd_run(struct opts *o)
{
	struct world_config cfg;
	struct rsim_error err = { 0 };
	int rc;

	if (o->n_pos != 1)
		return args_error("usage: rollsim run SCENARIO.json [options]"
				   "\n", o->n_pos ? "one SCENARIO expected, got"
						  : "missing SCENARIO",
				   o->n_pos > 1 ? o->pos[1] : NULL);
	if (load_input(o, o->pos[0], &cfg, &err))
		return report_error(&err);
	if (o->seen & (1u << OPT_SEED))
		cfg.seed = o->seed;
	rc = run_report(o, &cfg, o->pos[0]);
	world_config_release(&cfg);
	return rc;
}

/* Lists the invalid points; returns the number of valid ones. */
static int print_invalid(const struct sweep_plan *p)
{
	int32_t i, valid = 0;
	char e[ESC_MAX];

	for (i = 0; i < p->n_points; i++) {
		valid += p->points[i].valid;
		if (!p->points[i].valid)
			fprintf(stderr, "rollsim: point %d skipped: %s\n", i,
				rsim_escape(p->points[i].error, e, sizeof(e)));
	}
	if (valid == 0)
		fprintf(stderr, "%s: sweep: no valid point to run\n",
			rsim_escape(p->file, e, sizeof(e)));
	return valid;
}

static int cmd_sweep(struct opts *o)
{
	struct sweep_plan plan;
	struct sweep_opts so;
	struct rsim_error err = { 0 };
	int rc;
	char out[300], e[ESC_MAX];

	if (o->n_pos != 1)
		return args_error("usage: rollsim sweep SCENARIO.json [--out "
				   "DIR] [options]\n", "one SCENARIO expected",
				   NULL);
	if (sweep_plan_build(o->pos[0], o->sets, o->n_sets, o->reps, &plan,
			     &err))
		return report_error(&err);
	if (!o->out) {              /* default: out/<scenario name> */
		snprintf(out, sizeof(out), "out/%s", plan.name);
		o->out = out;
	}
	if (plan.n_points == 1 && !plan.points[0].valid) {
		fprintf(stderr, "%s\n",
			rsim_escape(plan.points[0].error, e, sizeof(e)));
		sweep_plan_release(&plan);
		return EXIT_INPUT;
	}
	if (print_invalid(&plan) == 0) {
		sweep_plan_release(&plan);
		return EXIT_INPUT;
	}
	so.out = o->out;
	so.jobs = o->jobs;
	so.shard_k = o->shard_k;
	so.shard_n = o->shard_n;
	so.resume = o->resume;
	so.quiet = o->quiet;
	rc = sweep_execute(&plan, &so, &err);
	sweep_plan_release(&plan);
	if (rc)
		return report_error(&err);
	if (!o->quiet)
		printf("%s/{runs.csv,summary.csv,sweep.json}\n",
		       rsim_escape(o->out, e, sizeof(e)));
	return 0;
}

static int cmd_merge(struct opts *o)
{
	struct rsim_error err = { 0 };
	char e[ESC_MAX];

	if (o->n_pos < 1 || !o->out)
		return args_error("usage: rollsim merge DIR... --out DIR\n",
				   o->n_pos < 1 ? "no shard directory given"
						: "missing --out DIR", NULL);
	if (sweep_merge(o->pos, o->n_pos, o->out, &err))
		return report_error(&err);
	printf("%s/{runs.csv,summary.csv,sweep.json}\n",
	       rsim_escape(o->out, e, sizeof(e)));
	return 0;
}

static int cmd_validate(struct opts *o)
{
	int i, worst = 0;
	char e[ESC_MAX];

	if (o->n_pos == 0)
		return args_error("usage: rollsim validate SCENARIO.json...\n",
				   "no SCENARIO given", NULL);
	for (i = 0; i < o->n_pos; i++) {
		struct sweep_plan plan;
		struct rsim_error err = { 0 };
		int32_t k, valid = 0;

		if (sweep_plan_build(o->pos[i], o->sets, o->n_sets, 0, &plan,
				     &err)) {
			int c = report_error(&err);

			worst = c > worst ? c : worst;
			continue;
		}
		for (k = 0; k < plan.n_points; k++)
			valid += plan.points[k].valid;
		if (plan.n_points == 1 && !plan.points[0].valid) {
			fprintf(stderr, "%s\n",
				rsim_escape(plan.points[0].error,
							    e, sizeof(e)));
			worst = EXIT_INPUT;
		} else if (print_invalid(&plan) == 0) {
			worst = EXIT_INPUT;
		} else {
			printf("%s: ok", rsim_escape(o->pos[i], e, sizeof(e)));
			if (plan.n_points > 1)
				printf(" (%d of %d sweep points valid, %d runs)",
				       valid, plan.n_points,
				       valid * plan.replications);
			printf("\n");
		}
		sweep_plan_release(&plan);
	}
	return worst;
}

/* rollsim plot's own option values, checked before anything is read:
 * one line on stderr and exit 2 when one is bad. */
static int plot_options(const struct opts *o, struct plot_opts *p)
{
	char e[ESC_MAX], e2[ESC_MAX];
	const char *bad = NULL, *what = NULL;
	double ymax = 0;

	plot_opts_init(p);
	p->dir2 = o->n_pos > 1 ? o->pos[1] : NULL;
	p->out = o->out;
	p->title = o->title;
	p->animate = o->animate;
	if (o->from && plot_parse_time(o->from, &p->from))
		bad = o->from, what = "--from: a time such as 62s, 1m2s or 62";
	else if (o->to && plot_parse_time(o->to, &p->to))
		bad = o->to, what = "--to: a time such as 62s, 1m2s or 62";
	else if (o->ymax && (plot_parse_time(o->ymax, &ymax) ||
			     !(ymax >= 1 && ymax <= 100000) ||
			     ymax != (int)ymax))
		bad = o->ymax, what = "--ymax: a whole number of pods 1-100000";
	else if (o->size && plot_parse_size(o->size, &p->width, &p->height))
		bad = o->size, what = "--size: WxH such as 1920x1080, each "
				      "320-7680";
	if (bad) {
		fprintf(stderr, "rollsim: %s expected, got %s\n", what,
			rsim_escape(bad, e, sizeof(e)));
		return EXIT_INPUT;
	}
	p->ymax = o->ymax ? ymax : p->ymax;
	if (o->from && o->to && !(p->to > p->from)) {
		fprintf(stderr, "rollsim: --to %s must be after --from %s\n",
			rsim_escape(o->to, e, sizeof(e)),
			rsim_escape(o->from, e2, sizeof(e2)));
		return EXIT_INPUT;
	}
	return 0;
}

static int cmd_plot(struct opts *o)
{
	struct rsim_error err = { 0 };
	struct plot_opts p;
	int rc;

	if (o->n_pos < 1 || o->n_pos > 2)
		return args_error("usage: rollsim plot DIR [DIR2]\n",
				   o->n_pos ? "one or two DIRs expected"
					    : "DIR expected", NULL);
	if ((rc = plot_options(o, &p)))
		return rc;
	rc = plot_dir_opts(o->pos[0], &p, NULL, &err);
	return rc ? report_error(&err) : 0;
}

/* The teaching commands: their arguments, then teach_*(). */
static int teach_cmd(struct opts *o, const char *usage, int with_kind,
		     int (*fn)(const struct teach_args *,
			       struct rsim_error *))
{
	struct teach_args a = { 0 };
	struct rsim_error err = { 0 };
	int want = with_kind ? 2 : 1, rc;

	if (o->n_pos != want)
		return args_error(usage, o->n_pos < want ?
				  (with_kind && o->n_pos == 0 ?
				   "missing pods, rs or deployment" :
				   "missing SCENARIO") :
				  "unexpected argument",
				  o->n_pos > want ? o->pos[want] : NULL);
	a.kind = with_kind ? o->pos[0] : NULL;
	a.scenario = o->pos[want - 1];
	a.sets = o->sets;
	a.n_sets = o->n_sets;
	a.events = o->events;
	a.n_events = o->n_events;
	a.seed = o->seed;
	a.seed_given = (o->seen & (1u << OPT_SEED)) != 0;
	a.view = o->view;
	a.speed = o->speed;
	a.plain = o->plain;
	a.at = o->at;
	a.answers = o->answers;
	rc = fn(&a, &err);
	return rc < 0 ? report_error(&err) : rc;
}

static int cmd_watch(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim watch SCENARIO.json [--view "
			 "VIEW] [options]\n", 0, teach_watch);
}

static int cmd_get(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim get pods|rs|deployment "
			 "SCENARIO.json --at T\n", 1, teach_get);
}

static int cmd_describe(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim describe SCENARIO.json --at T\n",
			 0, teach_describe);
}

static int cmd_history(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim history SCENARIO.json\n", 0,
			 teach_history);
}

static int cmd_explain(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim explain SCENARIO.json\n", 0,
			 teach_explain);
}

static int cmd_quiz(struct opts *o)
{
	return teach_cmd(o, "usage: rollsim quiz SCENARIO.json [--answers "
			 "FILE]\n", 0, teach_quiz);
}

static int cmd_calibrate(struct opts *o)
{
	struct rsim_error err = { 0 };

	if (o->n_pos < 1 || o->n_pos > CALIB_FILES_MAX)
		return args_error("usage: rollsim calibrate PODS.json "
				  "[EVENTS.json] [DEPLOY.json] --out "
				  "IMAGES.json\n", o->n_pos ? "too many files" :
				  "no PODS.json given", NULL);
	if (calib_run(o->pos, o->n_pos, o->out, o->json, stdout, &err))
		return report_error(&err);
	return 0;
}

/* rollsim apply CURRENT.yaml NEW.yaml: CURRENT's Deployment, settled,
 * then NEW applied (sim/scenario/scenario_apply.h, sim/report/apply.h);
 * the rest as run. */
static int cmd_apply(struct opts *o)
{
	struct apply_input in = { 0 };
	struct world_config cfg;
	struct rsim_error err = { 0 };
	int rc;

	if (o->n_pos != 2)
		return args_error("usage: rollsim apply CURRENT.yaml NEW.yaml "
				  "[--images FILE] [options]\n",
				  o->n_pos == 0 ? "missing CURRENT.yaml and "
				  "NEW.yaml" : o->n_pos == 1 ? "missing NEW.yaml"
				  : "two manifests expected, also got",
				  o->n_pos > 2 ? o->pos[2] : NULL);
	in.current = o->pos[0];
	in.next = o->pos[1];
	in.images = o->images;
	in.sets = o->sets;
	in.n_sets = o->n_sets;
	if (apply_load(&in, (o->seen & (1u << OPT_SEED)) ? &o->seed : NULL,
		       stderr, &cfg, &err))
		return report_error(&err);
	rc = run_report(o, &cfg, in.next);
	world_config_release(&cfg);
	return rc;
}

static int cmd_help(struct opts *o);

static const struct command commands[] = {
	{ "run", CMD_RUN, "SCENARIO.json",
	  "  Simulates the scenario once and prints a short summary. A\n"
	  "  Kubernetes Deployment manifest runs too: default timings, set\n"
	  "  image to IMAGE:next at 60 s (said on stderr).\n",
	  cmd_run },
	{ "sweep", CMD_SWEEP, "SCENARIO.json",
	  "  Runs every point of the scenario's sweep (variants x vary grid) R\n"
	  "  times and writes runs.csv, summary.csv and sweep.json to DIR\n"
	  "  (default: out/<scenario name>).\n",
	  cmd_sweep },
	{ "merge", CMD_MERGE, "DIR...",
	  "  Combines the directories of the shards of one sweep; checks that\n"
	  "  they belong to the same plan and that every run is there once.\n",
	  cmd_merge },
	{ "validate", CMD_VALIDATE, "SCENARIO.json...",
	  "  Checks scenarios (and their sweep sections) without running them.\n",
	  cmd_validate },
	{ "plot", CMD_PLOT, "DIR [DIR2]",
	  "  Renders the plots of a run or sweep directory with gnuplot into\n"
	  "  DIR/plots/ (PNG and SVG); with DIR2 (two runs), both overlaid\n"
	  "  in overlay.png and overlay.svg.\n",
	  cmd_plot },
	{ "watch", CMD_WATCH, "SCENARIO.json",
	  "  Replays the run as kubectl shows it: get pods -w, rollout status,\n"
	  "  get rs, the events, or a full-screen board (keys: space pause,\n"
	  "  n next decision, + and - speed, q quit).\n",
	  cmd_watch },
	{ "get", CMD_GET, "pods|rs|deployment SCENARIO.json",
	  "  Prints kubectl get's table at the simulated time T.\n",
	  cmd_get },
	{ "describe", CMD_DESCRIBE, "SCENARIO.json",
	  "  Prints kubectl describe deployment at the simulated time T (by\n"
	  "  default the end of the run).\n",
	  cmd_describe },
	{ "history", CMD_HISTORY, "SCENARIO.json",
	  "  Prints kubectl rollout history at the end of the run.\n",
	  cmd_history },
	{ "explain", CMD_EXPLAIN, "SCENARIO.json",
	  "  Narrates every decision of the controllers, the kubelet and the\n"
	  "  endpoints, with its arithmetic and its rule.\n",
	  cmd_explain },
	{ "quiz", CMD_QUIZ, "SCENARIO.json",
	  "  Asks questions about the scenario's rollout, then checks the\n"
	  "  answers against the simulation.\n",
	  cmd_quiz },
	{ "calibrate", CMD_CALIBRATE, "PODS.json [EVENTS.json] [DEPLOY.json]",
	  "  Fits each image's pull, containerStart and startup to what\n"
	  "  kubectl get pods/events/deploy -o json show (lognormal, gamma,\n"
	  "  Weibull, shifted exponential by maximum likelihood, chosen by\n"
	  "  AIC, checked by Kolmogorov-Smirnov), prints the fits and writes\n"
	  "  the scenario's images section to the --out file.\n",
	  cmd_calibrate },
	{ "apply", CMD_APPLY, "CURRENT.yaml NEW.yaml",
	  "  Simulates what `kubectl apply -f NEW.yaml` does to a Deployment\n"
	  "  running as CURRENT.yaml: CURRENT's pods start and settle, then\n"
	  "  whatever NEW.yaml changes (image, probes, strategy, replicas,\n"
	  "  resources) is applied; what changed and whether it is a\n"
	  "  rollout go to stderr, the summary and files as for run.\n",
	  cmd_apply },
	{ "help", CMD_HELP, "[COMMAND]",
	  "  Shows the commands, or the options of one.\n",
	  cmd_help },
};

#define N_COMMANDS (sizeof(commands) / sizeof(*commands))

static const char usage_main[] =
	"usage: rollsim COMMAND [ARGS]\n"
	"  run SCENARIO.json      simulate one rollout\n"
	"  sweep SCENARIO.json    batch experiment (replications, grid, variants)\n"
	"  merge DIR...           combine sharded sweep results\n"
	"  validate SCENARIO...   check scenarios without running them\n"
	"  plot DIR [DIR2]        plots of a run or sweep directory (gnuplot)\n"
	"  watch SCENARIO.json    kubectl's views of the run, or a board\n"
	"  get KIND SCENARIO.json kubectl get pods|rs|deployment --at T\n"
	"  describe SCENARIO.json kubectl describe deployment --at T\n"
	"  history SCENARIO.json  kubectl rollout history\n"
	"  explain SCENARIO.json  every decision with its arithmetic\n"
	"  quiz SCENARIO.json     predict the rollout, then check\n"
	"  calibrate PODS.json... fit images' timings to kubectl dumps\n"
	"  apply CURRENT NEW      the rollout kubectl apply -f NEW would start\n"
	"  help [COMMAND]         this text, or a command's options\n"
	"rollsim simulates Kubernetes Deployment rollouts; see README.md.\n";

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; name && i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void unknown_command(const char *name)
{
	char e[ESC_MAX];

	fprintf(stderr, "rollsim: unknown command \"%s\"\n%s",
		rsim_escape(name, e, sizeof(e)), usage_main);
}

static int cmd_help(struct opts *o)
{
	const struct command *c = o->n_pos ? find_command(o->pos[0]) : NULL;

	if (o->n_pos && !c) {
		unknown_command(o->pos[0]);
		return EXIT_INPUT;
	}
	if (c)
		help_print(stdout, c);
	else
		fputs(usage_main, stdout);
	return 0;
}

/* Flushes stdout: output that could not be written is an I/O error with
 * its cause (a full disk, a closed pipe), not a silent success. Returns
 * rc, or EXIT_IO when rc was 0 and stdout failed. */
static int stdout_done(int rc)
{
	int e = fflush(stdout) ? errno : 0;

	if (!e && !ferror(stdout))
		return rc;
	fprintf(stderr, "rollsim: cannot write to standard output%s%s\n",
		e ? ": " : "", e ? strerror(e) : "");
	return rc ? rc : EXIT_IO;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct command *c;
	struct opts o;
	int rc;

	gsl_set_error_handler_off();
	rsim_alloc_init();
	if (name && (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)) {
		fputs(usage_main, stdout);
		return stdout_done(0);
	}
	c = find_command(name);
	if (!c) {
		if (name)
			unknown_command(name);
		else
			fputs(usage_main, stderr);
		return EXIT_INPUT;
	}
	rc = parse_opts(c, argc - 2, argv + 2, &o);
	if (rc == 0)
		rc = c->fn(&o);
	return stdout_done(rc < 0 ? 0 : rc);
}
