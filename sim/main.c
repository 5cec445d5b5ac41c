/* main.c - the rollsim command: parse the command line, run, map errors
 * to exit codes (0 ok, 2 bad usage or input, 3 internal or I/O error).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "err.h"
#include "report.h"
#include "scenario.h"

#define EXIT_INPUT 2
#define EXIT_IO 3

struct run_opts {
	const char *scenario;
	const char *out;
	int json;
	int has_seed;
	uint64_t seed;
};

static const char usage_run[] =
	"usage: rollsim run SCENARIO.json [--seed N] [--out DIR] [--json]\n"
	"  Simulates the scenario once and prints a short summary.\n"
	"  --seed N   override the scenario's seed\n"
	"  --out DIR  write summary.json, timeline.csv and events.log to DIR\n"
	"  --json     print summary.json to stdout instead of the summary\n";

static const char usage_main[] =
	"usage: rollsim COMMAND [ARGS]\n"
	"  run SCENARIO.json [--seed N] [--out DIR] [--json]\n"
	"  validate SCENARIO.json...\n"
	"  help [COMMAND]\n"
	"rollsim simulates Kubernetes rolling updates; see README.md.\n";

static int exit_code(int rc)
{
	if (rc == 0)
		return 0;
	return rc == RS_EINPUT ? EXIT_INPUT : EXIT_IO;
}

static int report_error(const struct rs_error *err)
{
	char line[1200];

	rs_error_format(err, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	return exit_code(err->code);
}

static int parse_seed(const char *s, uint64_t *out)
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

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "rollsim: %s%s%s\n%s", msg, arg ? " " : "",
		arg ? arg : "", usage_run);
	return EXIT_INPUT;
}

static int parse_run(int argc, char **argv, struct run_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--out") == 0 && i + 1 < argc) {
			o->out = argv[++i];
		} else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
			if (parse_seed(argv[++i], &o->seed))
				return usage_error("--seed: expected a "
					"non-negative integer, got", argv[i]);
			o->has_seed = 1;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown or incomplete option", a);
		} else if (!o->scenario) {
			o->scenario = a;
		} else {
			return usage_error("unexpected argument", a);
		}
	}
	if (!o->scenario)
		return usage_error("missing SCENARIO", NULL);
	return 0;
}

static int run_world(const struct world_config *cfg, struct report *rep,
		     struct world_metrics *m)
{
	struct world_observer obs;
	world *w;
	int rc;

	if (rep)
		report_observer(rep, &obs);
	rc = world_new(cfg, 0, rep ? &obs : NULL, &w);
	if (!rc)
		rc = world_run(w);
	if (!rc)
		world_get_metrics(w, m);
	world_free(w);
	return rc;
}

static int output(const struct run_opts *o, const struct world_config *cfg,
		  const struct world_metrics *m, struct report *rep)
{
	struct rs_error err = { 0 };
	cJSON *sum = report_summary(cfg, 0, m);
	char *text;

	if (!sum) {
		report_abort(rep);
		fprintf(stderr, "rollsim: out of memory\n");
		return EXIT_IO;
	}
	if (rep && report_finish(rep, sum, &err)) {
		cJSON_Delete(sum);
		return report_error(&err);
	}
	if (o->json) {
		text = cJSON_Print(sum);
		if (text)
			printf("%s\n", text);
		free(text);
	} else {
		report_print_human(stdout, cfg, m);
		if (o->out)
			printf("  files          %s/{summary.json,timeline.csv,"
			       "events.log}\n", o->out);
	}
	cJSON_Delete(sum);
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct world_config cfg;
	struct world_metrics m;
	struct rs_error err = { 0 };
	struct report *rep = NULL;
	int rc = parse_run(argc, argv, &o);

	if (rc)
		return rc;
	if (scenario_load_file(o.scenario, &cfg, &err))
		return report_error(&err);
	if (o.has_seed)
		cfg.seed = o.seed;
	if (o.out && report_open(o.out, &rep, &err)) {
		world_config_release(&cfg);
		return report_error(&err);
	}
	rc = run_world(&cfg, rep, &m);
	if (rc) {
		report_abort(rep);
		world_config_release(&cfg);
		fprintf(stderr, "rollsim: %s: simulation failed (%s)\n",
			o.scenario, rc == RS_ENOMEM ? "out of memory"
						    : "internal error");
		return EXIT_IO;
	}
	rc = output(&o, &cfg, &m, rep);
	world_config_release(&cfg);
	return rc;
}

static int cmd_validate(int argc, char **argv)
{
	int i, worst = 0;

	if (argc == 0) {
		fprintf(stderr, "usage: rollsim validate SCENARIO.json...\n");
		return EXIT_INPUT;
	}
	for (i = 0; i < argc; i++) {
		struct world_config cfg;
		struct rs_error err = { 0 };

		if (scenario_load_file(argv[i], &cfg, &err)) {
			int c = report_error(&err);

			worst = c > worst ? c : worst;
			continue;
		}
		printf("%s: ok\n", argv[i]);
		world_config_release(&cfg);
	}
	return worst;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "run") == 0)
		fputs(usage_run, stdout);
	else
		fputs(usage_main, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	gsl_set_error_handler_off();
	if (!cmd) {
		fputs(usage_main, stderr);
		return EXIT_INPUT;
	}
	if (strcmp(cmd, "run") == 0) {
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
				 strcmp(argv[2], "-h") == 0))
			return fputs(usage_run, stdout) < 0;
		return cmd_run(argc - 2, argv + 2);
	}
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(argc - 2, argv + 2);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0)
		return cmd_help(argc - 2, argv + 2);
	fprintf(stderr, "rollsim: unknown command \"%s\"\n%s", cmd, usage_main);
	return EXIT_INPUT;
}
