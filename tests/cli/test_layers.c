/* test_layers.c - tools/check-layers.sh (make check-layers) passes on
 * this tree and fails, naming the file and line, on a tree where a file
 * includes a header of a layer above its own. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_util.h"

/* Runs the check on root; returns its exit status, output in out. */
static int check_layers(const char *root, char *out, size_t n)
{
	char cmd[1024];
	FILE *p;
	size_t k;
	int st;

	snprintf(cmd, sizeof(cmd), "sh tools/check-layers.sh '%s' 2>&1",
		 root);
	p = popen(cmd, "r");
	cr_assert(p, "popen");
	k = fread(out, 1, n - 1, p);
	out[k] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A tree of four files: sim/core/clock.h, models/pod.c (includes the
 * clock: down, allowed), sim/report/report.c and the file given. */
static char *small_tree(const char *name, const char *text)
{
	char *d = cli_tmpdir(), path[512];
	static const char *const dirs[] = {
		"sim", "sim/core", "models", "sim/report", NULL
	};
	int i;

	for (i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", d, dirs[i]);
		cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s", path);
	}
	snprintf(path, sizeof(path), "%s/sim/core/clock.h", d);
	cr_assert_eq(cli_write(path, "/* clock */\n"), 0);
	snprintf(path, sizeof(path), "%s/models/pod.c", d);
	cr_assert_eq(cli_write(path, "#include \"sim/core/clock.h\"\n"), 0);
	snprintf(path, sizeof(path), "%s/sim/report/report.c", d);
	cr_assert_eq(cli_write(path, "#include \"models/pod.c\"\n"), 0);
	snprintf(path, sizeof(path), "%s/%s", d, name);
	cr_assert_eq(cli_write(path, text), 0);
	return d;
}

Test(layers, this_tree_includes_only_downwards)
{
	char out[4096];

	cr_expect_eq(check_layers(".", out, sizeof(out)), 0, "%s", out);
}

Test(layers, a_tree_of_downward_includes_passes)
{
	char *d = small_tree("sim/core/clock.c", "#include \"clock.h\"\n");
	char out[4096];

	cr_expect_eq(check_layers(d, out, sizeof(out)), 0, "%s", out);
	cli_rmrf(d);
	free(d);
}

/* models (layer 1) including a report header (layer 3). */
Test(layers, models_including_the_report_layer_fails)
{
	char *d = small_tree("models/rs.c", "/* rs */\n\n"
			     "#include \"sim/report/report.h\"\n");
	char path[512], out[4096];

	snprintf(path, sizeof(path), "%s/sim/report/report.h", d);
	cr_assert_eq(cli_write(path, "/* report */\n"), 0);
	cr_expect_eq(check_layers(d, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "models/rs.c:3: includes sim/report/report.h, "
			 "a layer above models/rs.c's"), "%s", out);
	cli_rmrf(d);
	free(d);
}

/* The bottom layer reaching up through a relative path. */
Test(layers, core_including_models_by_a_relative_path_fails)
{
	char *d = small_tree("sim/core/engine.c",
			     "#include \"../../models/pod.c\"\n");
	char out[4096];

	cr_expect_eq(check_layers(d, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "sim/core/engine.c:1: includes models/pod.c"),
		  "%s", out);
	cli_rmrf(d);
	free(d);
}

/* A header that cannot be found is an error, not a pass. */
Test(layers, an_include_that_resolves_nowhere_fails)
{
	char *d = small_tree("models/x.c", "#include \"nowhere.h\"\n");
	char out[4096];

	cr_expect_eq(check_layers(d, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "models/x.c:1: cannot find \"nowhere.h\""),
		  "%s", out);
	cli_rmrf(d);
	free(d);
}
