/* test_fuzz_replay.c - every file of tests/fuzz/corpus/TARGET and
 * tests/fuzz/regress/TARGET fed to its fuzz target (fuzz.h), which
 * aborts on a broken contract; under `make asan` and the UBSan pass the
 * sanitizers see every input too. regress/ holds the inputs the fuzzers
 * found crashing or hanging, each named for what it broke; corpus/ the
 * seeds (scenarios/, the error catalogue of test_scenario.c, manifests).
 * Run from the repository root (as make does).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* The input being replayed, printed if the process dies on it. */
static char current[512];

void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void say_current(void)
{
	static const char head[] = "fuzz replay: died on ";

	if (write(2, head, sizeof(head) - 1) < 0 ||
	    write(2, current, strlen(current)) < 0 || write(2, "\n", 1) < 0)
		return;
}

static void on_fatal(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the files in dir, sorted (NULL-terminated, malloc'ed). */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, **grown;

	*n = 0;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (*n + 2) * sizeof(*names));
		cr_assert_not_null(grown);
		names = grown;
		names[(*n)++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (names)
		qsort(names, *n, sizeof(*names), by_name);
	return names;
}

static size_t replay_dir(const char *dir,
			 int (*target)(const uint8_t *, size_t))
{
	size_t i, n, count = 0;
	char **names = list_dir(dir, &n);

	for (i = 0; i < n; i++) {
		FILE *f;
		uint8_t *buf;
		long len;

		snprintf(current, sizeof(current), "%s/%s", dir, names[i]);
		f = fopen(current, "rb");
		cr_assert_not_null(f, "cannot open %s", current);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)len + 1);
		cr_assert_not_null(buf);
		cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		target(buf, (size_t)len);
		free(buf);
		free(names[i]);
		count++;
	}
	free(names);
	return count;
}

/* Replays corpus/name and regress/name; the corpus must not be empty. */
static void replay(const char *name, int (*target)(const uint8_t *, size_t))
{
	char dir[256];
	size_t n;

	fuzz_init();
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(say_current);
	signal(SIGABRT, on_fatal);
	signal(SIGSEGV, on_fatal);
	snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
	n = replay_dir(dir, target);
	cr_expect_gt(n, 0, "%s: no seed inputs", dir);
	snprintf(dir, sizeof(dir), "tests/fuzz/regress/%s", name);
	replay_dir(dir, target);
}

Test(fuzz_replay, scenario, .timeout = 120)
{
	replay("scenario", fuzz_scenario);
}

Test(fuzz_replay, manifest, .timeout = 120)
{
	replay("manifest", fuzz_manifest);
}

Test(fuzz_replay, sweepjson, .timeout = 120)
{
	replay("sweepjson", fuzz_sweepjson);
}

Test(fuzz_replay, setpath, .timeout = 120)
{
	replay("setpath", fuzz_setpath);
}
