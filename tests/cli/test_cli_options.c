/* test_cli_options.c - the option table of sim/main.c seen from outside:
 * every command's help names exactly the options the command takes, and
 * failures to write standard output are reported with their cause.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_util.h"

/* Which command takes which option, as README.md's CLI section lists
 * them (written out here by hand, not read from the binary). */
static const char *const takes[][2] = {
	{ "run", "--seed --out --json --set --fail-on-error" },
	{ "sweep", "--out --jobs --shard --replications --resume --quiet "
		   "--set" },
	{ "merge", "--out" },
	{ "validate", "--set" },
	{ "plot", "--out --from --to --title --ymax --size --animate" },
	{ "help", "" },
};

static const char *const all_options[] = {
	"--seed", "--out", "--json", "--set", "--fail-on-error", "--jobs",
	"--shard", "--replications", "--resume", "--quiet", "--from", "--to",
	"--title", "--ymax", "--size", "--animate",
};

static int listed(const char *list, const char *opt)
{
	size_t n = strlen(opt);
	const char *s;

	for (s = strstr(list, opt); s; s = strstr(s + 1, opt))
		if ((s == list || s[-1] == ' ') && (!s[n] || s[n] == ' '))
			return 1;
	return 0;
}

/* The synopsis of a command's help: its first line and the lines that
 * continue it (blanks, then "["). Malloc'ed. */
static char *synopsis(const char *help)
{
	char *s = strdup(help), *nl = strchr(s, '\n');

	while (nl && nl[1] == ' ' && nl[1 + strspn(nl + 1, " ")] == '[')
		nl = strchr(nl + 1, '\n');
	if (nl)
		*nl = '\0';
	return s;
}

/* An option appears in the help's synopsis (as "[--x" or " --x ") if and
 * only if the command takes it; one it does not take is refused with
 * "option does not apply to this command". */
Test(cli_options, help_matches_what_each_command_takes)
{
	size_t c, k;

	for (c = 0; c < sizeof(takes) / sizeof(*takes); c++) {
		struct cli_result h;
		char args[128], *syn;

		snprintf(args, sizeof(args), "help %s", takes[c][0]);
		cli_run(&h, args);
		cr_assert_eq(h.status, 0, "%s: exit %d", args, h.status);
		syn = synopsis(h.out);
		for (k = 0; k < sizeof(all_options) / sizeof(*all_options);
		     k++) {
			const char *o = all_options[k];
			struct cli_result r;
			char want[64];
			int in;

			snprintf(want, sizeof(want), "%s ", o);
			in = strstr(syn, want) != NULL ||
			     (snprintf(want, sizeof(want), "%s]", o),
			      strstr(syn, want) != NULL);
			cr_expect_eq(in, listed(takes[c][1], o),
				     "%s: synopsis and %s: %s", takes[c][0], o,
				     syn);
			if (listed(takes[c][1], o))
				continue;
			snprintf(args, sizeof(args), "%s x %s", takes[c][0], o);
			cli_run(&r, args);
			cr_expect_eq(r.status, 2, "%s: exit %d", args, r.status);
			snprintf(want, sizeof(want),
				 "rollsim: option does not apply to this "
				 "command: %s\n", o);
			cr_expect(strncmp(r.err, want, strlen(want)) == 0,
				  "%s: %s", args, r.err);
			cli_result_free(&r);
		}
		free(syn);
		cli_result_free(&h);
	}
}

/* Runs "$ROLLSIM args" with stdout on /dev/full (a device where every
 * write fails with ENOSPC); returns the exit status, *err gets stderr. */
static int run_full(const char *args, char **err)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char *dir = cli_tmpdir(), cmd[2048], path[1200];
	int st;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/full 2>%s", bin, args, path);
	st = system(cmd);
	*err = cli_slurp(path, NULL);
	cli_rmrf(dir);
	free(dir);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Output that cannot be written is an I/O error (exit 3, README's exit
 * codes) with the system's reason, not a silent success: before, each of
 * these exited 0 and printed nothing. */
Test(cli_options, stdout_write_failure_is_reported)
{
	static const char *const args[] = {
		"help", "--help", "help run", "sweep --help",
		"run scenarios/flask-app.json",
		"run scenarios/flask-app.json --json",
		"validate scenarios/flask-app.json",
	};
	const char *want = "rollsim: cannot write to standard output: "
			   "No space left on device\n";
	size_t i;

	for (i = 0; i < sizeof(args) / sizeof(*args); i++) {
		char *err;
		int st = run_full(args[i], &err);

		cr_expect_eq(st, 3, "%s: exit %d", args[i], st);
		cr_expect(err && strstr(err, want), "%s: stderr %s", args[i],
			  err ? err : "(none)");
		free(err);
	}
}

/* A failed command keeps its own exit status and message when stdout
 * fails too: the usage error comes first, status 2. */
Test(cli_options, stdout_failure_keeps_earlier_error)
{
	char *err;
	int st = run_full("run scenarios/flask-app.json --bogus", &err);

	cr_expect_eq(st, 2);
	cr_expect(err && strncmp(err, "rollsim: unknown option --bogus\n",
				 strlen("rollsim: unknown option --bogus\n")) == 0,
		  "stderr %s", err ? err : "");
	free(err);
}

/* An unknown command name is echoed with its control characters escaped,
 * as every other argument in an error message is (one line per error). */
Test(cli_options, unknown_command_is_escaped)
{
	static const char *const want[] = {
		"rollsim: unknown command \"ru\\nn\"\n",
		"rollsim: unknown command \"ru\\tn\"\n",
	};
	struct cli_result r;

	cli_run(&r, "\"$(printf 'ru\\nn')\"");
	cr_assert_eq(r.status, 2);
	cr_expect(strncmp(r.err, want[0], strlen(want[0])) == 0, "stderr %s",
		  r.err);
	cli_result_free(&r);
	cli_run(&r, "help \"$(printf 'ru\\tn')\"");
	cr_assert_eq(r.status, 2);
	cr_expect(strncmp(r.err, want[1], strlen(want[1])) == 0, "stderr %s",
		  r.err);
	cli_result_free(&r);
}
