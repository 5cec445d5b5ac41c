/* test_lessons.c - the course in scenarios/lessons/ gives true answers.
 *
 * Each lesson folder has an answers.json: a list of answers, each naming a
 * scenario of the folder and what its run must show, with "why" (the
 * derivation by hand from Kubernetes' rules: docs/kubernetes.md) and "text"
 * (the words the README's Answers section gives). One answer is one of:
 *   "key": a summary.json path ("rollouts[1].complete"), with "eq" (a number
 *          or a boolean) or "min"/"max" (inclusive bounds);
 *   "at" + "column": the timeline.csv column at that time (the last row at
 *          or before it), with "eq" or "min"/"max";
 *   "rejected": the scenario is bad input (exit 2) and stderr says this.
 * The test runs each scenario, checks each answer, checks that the README's
 * Answers section contains each "text", and that every scenario path the
 * README mentions exists.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

#define LESSONS "scenarios/lessons"

/* The value at a path of dotted keys and [i] indices, or NULL. */
static const cJSON *lesson_json_at(const cJSON *o, const char *path)
{
	char key[128];
	const char *p = path;

	while (o && *p) {
		size_t n = strcspn(p, ".[");

		if (n > 0) {
			cr_assert_lt(n, sizeof(key), "path %s", path);
			memcpy(key, p, n);
			key[n] = '\0';
			o = cJSON_GetObjectItemCaseSensitive(o, key);
			p += n;
		} else if (*p == '[') {
			o = cJSON_GetArrayItem(o, atoi(p + 1));
			p = strchr(p, ']');
			cr_assert_not_null(p, "path %s", path);
			p++;
		}
		if (*p == '.')
			p++;
	}
	return o;
}

/* Column col of the last timeline.csv row with time_s <= at. */
static double timeline_at(const char *csv, double at, const char *col)
{
	const char *line = csv, *nl = strchr(csv, '\n');
	int idx = 0, i;
	double v = (double)NAN;
	char head[512];

	cr_assert_not_null(nl, "timeline.csv has no header");
	cr_assert_lt((size_t)(nl - csv), sizeof(head));
	memcpy(head, csv, (size_t)(nl - csv));
	head[nl - csv] = '\0';
	{
		char *save = NULL, *t = strtok_r(head, ",", &save);

		for (; t && strcmp(t, col) != 0; t = strtok_r(NULL, ",", &save))
			idx++;
		cr_assert_not_null(t, "timeline.csv has no column %s", col);
	}
	for (line = nl + 1; *line; line = nl + 1) {
		const char *f = line;

		if (strtod(line, NULL) > at)
			break;
		for (i = 0; i < idx; i++)
			f = strchr(f, ',') + 1;
		v = strtod(f, NULL);
		nl = strchr(line, '\n');
		if (!nl)
			break;
	}
	return v;
}

/* eq / min / max of answer a against the number v (or boolean b >= 0). */
static void check_value(const cJSON *a, double v, int b, const char *what)
{
	const cJSON *eq = cJSON_GetObjectItemCaseSensitive(a, "eq");
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(a, "min");
	const cJSON *hi = cJSON_GetObjectItemCaseSensitive(a, "max");

	cr_assert(eq || lo || hi, "%s: no eq, min or max", what);
	if (cJSON_IsBool(eq))
		cr_assert_eq(b, cJSON_IsTrue(eq), "%s: expected %s, got %d",
			     what, cJSON_IsTrue(eq) ? "true" : "false", b);
	else if (eq)
		cr_assert(v == eq->valuedouble, "%s: expected %g, got %g", what,
			  eq->valuedouble, v);
	if (lo)
		cr_assert(v >= lo->valuedouble, "%s: expected >= %g, got %g",
			  what, lo->valuedouble, v);
	if (hi)
		cr_assert(v <= hi->valuedouble, "%s: expected <= %g, got %g",
			  what, hi->valuedouble, v);
}

/* One run of a lesson scenario: its summary and its timeline.csv. */
struct lesson_run {
	cJSON *summary;
	char *timeline;
};

static void lesson_run(struct lesson_run *lr, const char *path)
{
	char *dir = cli_tmpdir(), args[1024], csv[1024];
	struct cli_result r;

	snprintf(args, sizeof(args), "run %s --json --out %s/o", path, dir);
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s exited %d: %s", args, r.status,
		     r.err ? r.err : "");
	lr->summary = cJSON_Parse(r.out);
	cr_assert_not_null(lr->summary, "%s: stdout is not JSON", path);
	snprintf(csv, sizeof(csv), "%s/o/timeline.csv", dir);
	lr->timeline = cli_slurp(csv, NULL);
	cr_assert_not_null(lr->timeline, "%s: no timeline.csv", path);
	cli_result_free(&r);
	cli_rmrf(dir);
	free(dir);
}

static void check_rejected(const cJSON *a, const char *path)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(a, "rejected");
	char args[1024];
	struct cli_result r;

	snprintf(args, sizeof(args), "validate %s", path);
	cli_run(&r, args);
	cr_assert_eq(r.status, 2, "%s: expected bad input, exit %d", path,
		     r.status);
	cr_assert(r.err && strstr(r.err, msg->valuestring),
		  "%s: stderr lacks \"%s\": %s", path, msg->valuestring,
		  r.err ? r.err : "");
	cli_result_free(&r);
}

/* The runs of one lesson, one per scenario (answers share them). */
#define LESSON_RUNS_MAX 16
struct lesson_cache {
	char path[LESSON_RUNS_MAX][512];
	struct lesson_run run[LESSON_RUNS_MAX];
	int n;
};

static const struct lesson_run *cached_run(struct lesson_cache *c,
					   const char *path)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->path[i], path) == 0)
			return &c->run[i];
	cr_assert_lt(c->n, LESSON_RUNS_MAX, "too many scenarios in a lesson");
	snprintf(c->path[c->n], sizeof(c->path[0]), "%s", path);
	lesson_run(&c->run[c->n], path);
	return &c->run[c->n++];
}

static void cache_free(struct lesson_cache *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		cJSON_Delete(c->run[i].summary);
		free(c->run[i].timeline);
	}
	c->n = 0;
}

static void check_answer(struct lesson_cache *c, const cJSON *a,
			 const char *path)
{
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(a, "key");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(a, "at");
	const cJSON *col = cJSON_GetObjectItemCaseSensitive(a, "column");
	const struct lesson_run *lr;
	char what[600];

	if (cJSON_GetObjectItemCaseSensitive(a, "rejected")) {
		check_rejected(a, path);
		return;
	}
	lr = cached_run(c, path);
	if (cJSON_IsString(key)) {
		const cJSON *v = lesson_json_at(lr->summary, key->valuestring);

		snprintf(what, sizeof(what), "%s %s", path, key->valuestring);
		cr_assert(cJSON_IsNumber(v) || cJSON_IsBool(v),
			  "%s: absent or not a number", what);
		check_value(a, cJSON_IsNumber(v) ? v->valuedouble : (double)NAN,
			    cJSON_IsBool(v) ? cJSON_IsTrue(v) : -1, what);
	} else {
		cr_assert(cJSON_IsNumber(at) && cJSON_IsString(col),
			  "%s: an answer needs key, at + column, or rejected",
			  path);
		snprintf(what, sizeof(what), "%s %s at %g s", path,
			 col->valuestring, at->valuedouble);
		check_value(a, timeline_at(lr->timeline, at->valuedouble,
					   col->valuestring), -1, what);
	}
}

/* Every "scenarios/lessons/....json" the README names exists. */
static void check_paths(const char *readme, const char *name)
{
	const char *p = readme;

	while ((p = strstr(p, LESSONS "/")) != NULL) {
		size_t n = strcspn(p, " `)\n|,");
		char path[512];
		FILE *f;

		cr_assert_lt(n, sizeof(path));
		memcpy(path, p, n);
		path[n] = '\0';
		p += n;
		if (n < 5 || strcmp(path + n - 5, ".json") != 0)
			continue;
		f = fopen(path, "r");
		cr_assert_not_null(f, "%s/README.md names %s, which is missing",
				   name, path);
		fclose(f);
	}
}

static void check_lesson(const char *name)
{
	char path[512], *json, *readme;
	const char *answers_part;
	const cJSON *a;
	cJSON *root;
	static struct lesson_cache cache;

	snprintf(path, sizeof(path), LESSONS "/%s/answers.json", name);
	json = cli_slurp(path, NULL);
	cr_assert_not_null(json, "%s is missing", path);
	root = cJSON_Parse(json);
	cr_assert_not_null(root, "%s is not JSON", path);
	snprintf(path, sizeof(path), LESSONS "/%s/README.md", name);
	readme = cli_slurp(path, NULL);
	cr_assert_not_null(readme, "%s is missing", path);
	check_paths(readme, name);
	answers_part = strstr(readme, "\n## Answers");
	cr_assert_not_null(answers_part, "%s has no ## Answers section", path);
	a = cJSON_GetObjectItemCaseSensitive(root, "answers");
	cr_assert(cJSON_GetArraySize(a) >= 3, "%s: fewer than 3 answers", name);
	for (a = a->child; a; a = a->next) {
		const cJSON *sc = cJSON_GetObjectItemCaseSensitive(a, "scenario");
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(a, "text");
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(a, "why");

		cr_assert(cJSON_IsString(sc) && cJSON_IsString(text) &&
			  cJSON_IsString(why), "%s: an answer needs scenario, "
			  "text and why", name);
		cr_assert_not_null(strstr(answers_part, text->valuestring),
				   "%s/README.md's answers lack \"%s\"", name,
				   text->valuestring);
		snprintf(path, sizeof(path), LESSONS "/%s/%s", name,
			 sc->valuestring);
		check_answer(&cache, a, path);
	}
	cache_free(&cache);
	cJSON_Delete(root);
	free(readme);
	free(json);
}

Test(lessons, l01_walkthrough) { check_lesson("01-walkthrough"); }
Test(lessons, l02_rounding) { check_lesson("02-rounding"); }
Test(lessons, l03_strategies) { check_lesson("03-strategies"); }
Test(lessons, l04_recreate) { check_lesson("04-recreate"); }
Test(lessons, l05_readiness) { check_lesson("05-readiness"); }
Test(lessons, l06_shutdown) { check_lesson("06-shutdown"); }
Test(lessons, l07_deadline) { check_lesson("07-deadline"); }
Test(lessons, l08_capacity) { check_lesson("08-capacity"); }
Test(lessons, l09_probes) { check_lesson("09-probes"); }
Test(lessons, l10_progressive_delivery)
{
	check_lesson("10-progressive-delivery");
}

static const char *const tested[] = {
	"01-walkthrough", "02-rounding", "03-strategies", "04-recreate",
	"05-readiness", "06-shutdown", "07-deadline", "08-capacity",
	"09-probes", "10-progressive-delivery",
};

/* Every lesson folder is one of the tests above and is listed in the
 * course's README; every lesson README has the parts a teacher needs. */
Test(lessons, every_lesson_tested_listed_and_complete)
{
	char *plan = cli_slurp(LESSONS "/README.md", NULL);
	DIR *d = opendir(LESSONS);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(plan, LESSONS "/README.md is missing");
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512], *readme;
		size_t i, k = sizeof(tested) / sizeof(tested[0]);
		static const char *const parts[] = {
			"\n## The idea", "\n## Predict", "\n## Run it",
			"\n## What to look at", "\n## Questions", "\n## Answers",
		};

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		for (i = 0; i < k && strcmp(tested[i], e->d_name) != 0; i++)
			;
		cr_assert_lt(i, k, "lesson %s has no test", e->d_name);
		cr_assert_not_null(strstr(plan, e->d_name),
				   "%s is not in the course's README", e->d_name);
		snprintf(path, sizeof(path), LESSONS "/%s/README.md", e->d_name);
		readme = cli_slurp(path, NULL);
		cr_assert_not_null(readme, "%s is missing", path);
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			cr_assert_not_null(strstr(readme, parts[i]),
					   "%s lacks %s", path, parts[i] + 1);
		free(readme);
		n++;
	}
	closedir(d);
	cr_assert_eq(n, 10, "expected 10 lessons, found %d", n);
	free(plan);
}

/* Lesson 1's scenario is scenarios/seed-walkthrough.json (its manifests
 * copied beside it): both runs give the same rollouts and pods. */
Test(lessons, lesson_1_is_the_seed_walkthrough)
{
	struct lesson_run a, b;
	const char *const keys[] = { "deployment", "rollouts", "pods",
				     "requests" };
	size_t i;

	lesson_run(&a, "scenarios/seed-walkthrough.json");
	lesson_run(&b, LESSONS "/01-walkthrough/walkthrough.json");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_assert(cJSON_Compare(cJSON_GetObjectItem(a.summary, keys[i]),
					cJSON_GetObjectItem(b.summary, keys[i]),
					1), "%s differs", keys[i]);
	cr_assert_str_eq(a.timeline, b.timeline);
	cJSON_Delete(a.summary);
	cJSON_Delete(b.summary);
	free(a.timeline);
	free(b.timeline);
}
