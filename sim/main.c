/* main.c - the rollsim command: parse the command line, run, map errors
 * to exit codes (0 ok, 2 bad usage or input, 3 internal or I/O error or
 * an interrupted sweep).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "plots/plot.h"
#include "sim/report/report.h"
#include "sim/report/run.h"
#include "sim/scenario/scenario.h"
#include "sim/sweep/sweep.h"

#define EXIT_FAILED 1
#define EXIT_INPUT 2
#define EXIT_IO 3
#define MAX_SETS 256
#define ESC_MAX 1200                  /* an escaped path or argument */

struct opts {
	const char *pos[1024];        /* positional arguments */
	int n_pos;
	const char *sets[MAX_SETS];   /* --set PATH=VALUE */
	int n_sets;
	const char *out;
	int json, has_seed, quiet, resume, fail_on_error;
	uint64_t seed;
	int jobs, shard_k, shard_n, reps;
};

enum {
	OPT_SET = 1u << 0, OPT_SEED = 1u << 1, OPT_OUT = 1u << 2,
	OPT_JSON = 1u << 3, OPT_JOBS = 1u << 4, OPT_SHARD = 1u << 5,
	OPT_REPS = 1u << 6, OPT_RESUME = 1u << 7, OPT_QUIET = 1u << 8,
	OPT_FAIL = 1u << 9
};

struct command {
	const char *name;
	const char *usage;
	int (*fn)(struct opts *o);
	unsigned opts;                /* OPT_* the command takes */
};

/* The option's OPT_* bit, or 0 when a is not an option. */
static unsigned option_bit(const char *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} t[] = {
		{ "--set", OPT_SET }, { "--seed", OPT_SEED }, { "--out", OPT_OUT },
		{ "--json", OPT_JSON }, { "--jobs", OPT_JOBS },
		{ "--shard", OPT_SHARD }, { "--replications", OPT_REPS },
		{ "--resume", OPT_RESUME }, { "--quiet", OPT_QUIET },
		{ "--fail-on-error", OPT_FAIL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (strcmp(a, t[i].name) == 0)
			return t[i].bit;
	return 0;
}

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

static int usage_error(const char *usage, const char *msg, const char *arg)
{
	char e[ESC_MAX];

	fprintf(stderr, "rollsim: %s%s%s\n%s", msg, arg ? " " : "",
		arg ? rsim_escape(arg, e, sizeof(e)) : "", usage);
	return EXIT_INPUT;
}

/* Options with a value; returns 1 when argv[*i] was one of them. */
static int parse_valued(struct opts *o, int argc, char **argv, int *i,
			int *bad)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	char *slash;

	if (strcmp(a, "--set") && strcmp(a, "--seed") && strcmp(a, "--out") &&
	    strcmp(a, "--jobs") && strcmp(a, "--shard") &&
	    strcmp(a, "--replications"))
		return 0;
	(*i)++;
	*bad = !v;
	if (!v)
		return 1;
	if (strcmp(a, "--set") == 0)
		*bad = o->n_sets == MAX_SETS || !strchr(v, '=') ||
		       !(o->sets[o->n_sets++] = v);
	else if (strcmp(a, "--seed") == 0)
		*bad = parse_u64(v, &o->seed) || !(o->has_seed = 1);
	else if (strcmp(a, "--out") == 0)
		*bad = !*(o->out = v);      /* "" is no directory */
	else if (strcmp(a, "--jobs") == 0)
		*bad = parse_int(v, 1, 256, &o->jobs);
	else if (strcmp(a, "--replications") == 0)
		*bad = parse_int(v, 1, 1000000, &o->reps);
	else if ((slash = strchr(v, '/')) != NULL) {
		char k[32];

		snprintf(k, sizeof(k), "%.*s", (int)(slash - v), v);
		*bad = parse_int(k, 1, 1000000, &o->shard_k) ||
		       parse_int(slash + 1, 1, 1000000, &o->shard_n) ||
		       o->shard_k > o->shard_n;
	} else {
		*bad = 1;
	}
	return 1;
}

static int parse_opts(const struct command *c, int argc, char **argv,
		      struct opts *o)
{
	int i, bad = 0;

	memset(o, 0, sizeof(*o));
	o->shard_k = o->shard_n = 1;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		unsigned bit = option_bit(a);

		if (bit && !(bit & c->opts))
			return usage_error(c->usage, "option does not apply to "
					   "this command:", a);
		if (parse_valued(o, argc, argv, &i, &bad)) {
			if (bad)
				return usage_error(c->usage, "bad or missing "
						   "value for", a);
		} else if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--quiet") == 0) {
			o->quiet = 1;
		} else if (strcmp(a, "--resume") == 0) {
			o->resume = 1;
		} else if (strcmp(a, "--fail-on-error") == 0) {
			o->fail_on_error = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(c->usage, stdout);
			return -1;
		} else if (a[0] == '-' && a[1]) {
			return usage_error(c->usage, "unknown option", a);
		} else if (o->n_pos < 1024) {
			o->pos[o->n_pos++] = a;
		}
	}
	return 0;
}

/* --fail-on-error judges the last rollout, as `kubectl rollout status`
 * after the last change would: it did not complete, or it exceeded its
 * progress deadline. NULL when it passes (or there was no rollout). */
static const char *rollout_failure(const struct world_metrics *m)
{
	const struct world_rollout *last;

	if (m->n_rollouts == 0)
		return NULL;
	last = &m->rollouts[m->n_rollouts - 1];
	if (!last->complete)
		return "did not complete";
	return last->deadline_exceeded ? "exceeded its progress deadline"
				       : NULL;
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
			       "traffic.csv,events.log}\n",
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

static int cmd_run(struct opts *o)
{
	struct world_config cfg;
	struct world_metrics m;
	struct rsim_error err = { 0 };
	const char *failure;
	cJSON *sum;
	world *w;
	char e[ESC_MAX];
	int rc;

	if (o->n_pos != 1)
		return usage_error("usage: rollsim run SCENARIO.json [options]"
				   "\n", o->n_pos ? "one SCENARIO expected, got"
						  : "missing SCENARIO",
				   o->n_pos > 1 ? o->pos[1] : NULL);
	if (scenario_load_with_sets(o->pos[0], o->sets, o->n_sets, &cfg, &err))
		return report_error(&err);
	if (o->has_seed)
		cfg.seed = o->seed;
	rc = run_once(&cfg, o->out, o->pos[0], &m, &sum, &w, &err);
	if (!rc)
		rc = output(o, &cfg, &m, sum);
	else
		rc = report_error(&err);
	cJSON_Delete(sum);
	failure = w ? rollout_failure(&m) : NULL;
	if (!rc && o->fail_on_error && failure) {
		fprintf(stderr, "rollsim: %s: the %srollout %s\n",
			rsim_escape(o->pos[0], e, sizeof(e)),
			m.n_rollouts > 1 ? "last " : "", failure);
		rc = EXIT_FAILED;
	}
	world_free(w);    /* before cfg, which it borrows */
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
		return usage_error("usage: rollsim sweep SCENARIO.json [--out "
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
		return usage_error("usage: rollsim merge DIR... --out DIR\n",
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
		return usage_error("usage: rollsim validate SCENARIO.json...\n",
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

static int cmd_plot(struct opts *o)
{
	struct rsim_error err = { 0 };
	int rc;

	if (o->n_pos != 1)
		return usage_error("usage: rollsim plot DIR\n",
				   "one DIR expected", NULL);
	rc = plot_dir(o->pos[0], NULL, &err);
	return rc ? report_error(&err) : 0;
}

static int cmd_help(struct opts *o);

static const struct command commands[] = {
	{ "run",
	  "usage: rollsim run SCENARIO.json [--seed N] [--out DIR] [--json]\n"
	  "                   [--set PATH=VALUE ...] [--fail-on-error]\n"
	  "  Simulates the scenario once and prints a short summary.\n"
	  "  --seed N          override the scenario's seed\n"
	  "  --out DIR         write summary.json, timeline.csv, traffic.csv\n"
	  "                    and events.log to DIR\n"
	  "  --json            print summary.json to stdout instead\n"
	  "  --fail-on-error   exit 1 when the rollout does not complete or\n"
	  "                    exceeds its progress deadline\n"
	  "  --set PATH=VALUE  override a scenario value by its JSON path, e.g.\n"
	  "                    --set deployment.replicas=10 (VALUE is JSON, or\n"
	  "                    else a string)\n",
	  cmd_run, OPT_SET | OPT_SEED | OPT_OUT | OPT_JSON | OPT_FAIL },
	{ "sweep",
	  "usage: rollsim sweep SCENARIO.json [--out DIR] [--jobs N] [--shard K/N]\n"
	  "                     [--replications R] [--resume] [--quiet]\n"
	  "                     [--set PATH=VALUE ...]\n"
	  "  Runs every point of the scenario's sweep (variants x vary grid) R\n"
	  "  times and writes runs.csv, summary.csv and sweep.json to DIR\n"
	  "  (default: out/<scenario name>).\n"
	  "  --jobs N          worker threads (default: the number of cores)\n"
	  "  --shard K/N       run only the runs whose number is K-1 mod N\n"
	  "  --replications R  override sweep.replications\n"
	  "  --resume          keep the runs already in DIR, run the rest\n"
	  "  --quiet           no progress on stderr\n",
	  cmd_sweep, OPT_SET | OPT_OUT | OPT_JOBS | OPT_SHARD | OPT_REPS |
	  OPT_RESUME | OPT_QUIET },
	{ "merge",
	  "usage: rollsim merge DIR... --out DIR\n"
	  "  Combines the directories of the shards of one sweep; checks that\n"
	  "  they belong to the same plan and that every run is there once.\n",
	  cmd_merge, OPT_OUT },
	{ "validate",
	  "usage: rollsim validate SCENARIO.json... [--set PATH=VALUE ...]\n"
	  "  Checks scenarios (and their sweep sections) without running them.\n",
	  cmd_validate, OPT_SET },
	{ "plot",
	  "usage: rollsim plot DIR\n"
	  "  Renders the plots of a run or sweep directory with gnuplot into\n"
	  "  DIR/plots/ (PNG and SVG).\n",
	  cmd_plot, 0 },
	{ "help",
	  "usage: rollsim help [COMMAND]\n"
	  "  Shows the commands, or the options of one.\n",
	  cmd_help, 0 },
};

#define N_COMMANDS (sizeof(commands) / sizeof(*commands))

static const char usage_main[] =
	"usage: rollsim COMMAND [ARGS]\n"
	"  run SCENARIO.json      simulate one rollout\n"
	"  sweep SCENARIO.json    batch experiment (replications, grid, variants)\n"
	"  merge DIR...           combine sharded sweep results\n"
	"  validate SCENARIO...   check scenarios without running them\n"
	"  plot DIR               plots of a run or sweep directory (gnuplot)\n"
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

static int cmd_help(struct opts *o)
{
	const struct command *c = o->n_pos ? find_command(o->pos[0]) : NULL;

	if (o->n_pos && !c) {
		fprintf(stderr, "rollsim: unknown command \"%s\"\n%s",
			o->pos[0],
			usage_main);
		return EXIT_INPUT;
	}
	fputs(c ? c->usage : usage_main, stdout);
	return 0;
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
		return 0;
	}
	c = find_command(name);
	if (!c) {
		if (name)
			fprintf(stderr, "rollsim: unknown command \"%s\"\n",
				name);
		fputs(usage_main, stderr);
		return EXIT_INPUT;
	}
	rc = parse_opts(c, argc - 2, argv + 2, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	return c->fn(&o);
}
