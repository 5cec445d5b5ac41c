/* test_jsonpath.c - dotted JSON paths, --set values and merge patches
 * (sim/scenario/jsonpath.c).
 *
 * Tables of {name, document, path, expected}: jsonpath_get and
 * jsonpath_set on nested objects, arrays and ["quoted.keys"], creation of
 * missing objects, the errors for malformed paths and missing array
 * elements; jsonpath_value's JSON-or-string rule; and jsonpath_merge
 * against the examples of RFC 7386 Appendix A (copied from the RFC; the
 * cases whose top level is not an object are wrapped in {"x": ...}, since
 * the merge works in place on an object).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sim/scenario/jsonpath.h"

static cJSON *parse(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	cr_assert_not_null(j, "test JSON does not parse: %s", text);
	return j;
}

/* Compares j with the JSON text want (NULL: j must be NULL). */
static void assert_json(const char *row, const cJSON *j, const char *want)
{
	cJSON *w;
	char *got;

	if (!want) {
		got = j ? cJSON_PrintUnformatted(j) : NULL;
		cr_assert_null(j, "%s: expected nothing, got %s", row, got);
		return;
	}
	w = parse(want);
	got = j ? cJSON_PrintUnformatted(j) : NULL;
	cr_assert(j && cJSON_Compare(j, w, 1), "%s: expected %s, got %s", row,
		  want, got ? got : "(null)");
	free(got);
	cJSON_Delete(w);
}

/* ------------------------------------------------------------ get */

static const char doc[] =
	"{ \"deployment\": { \"replicas\": 5, \"strategy\": { \"rollingUpdate\":"
	"  { \"maxSurge\": \"25%\", \"maxUnavailable\": 1 } } },"
	"  \"images\": { \"flask-app:1.0\": { \"startup\": \"3s\" },"
	"              \"a.b\": { \"c\": 7 } },"
	"  \"a.b\": 1, \"a\": { \"b\": 2 },"
	"  \"events\": [ { \"at\": \"30s\" }, { \"at\": \"60s\" } ],"
	"  \"grid\": [ [1, 2], [3, 4, 5] ], \"n\": 3 }";

struct get_row {
	const char *name;
	const char *path;
	const char *want;    /* JSON text, NULL: no such node */
};

static const struct get_row get_rows[] = {
	{ "nested objects", "deployment.strategy.rollingUpdate.maxSurge",
	  "\"25%\"" },
	{ "number leaf", "deployment.strategy.rollingUpdate.maxUnavailable",
	  "1" },
	{ "object node", "deployment.strategy",
	  "{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":1}}" },
	{ "array element", "events[1].at", "\"60s\"" },
	{ "array element object", "events[0]", "{\"at\":\"30s\"}" },
	{ "nested arrays", "grid[1][2]", "5" },
	{ "quoted key with ':' and '.'", "images[\"flask-app:1.0\"].startup",
	  "\"3s\"" },
	{ "quoted key at the top", "[\"a.b\"]", "1" },
	{ "dotted path is not the quoted key", "a.b", "2" },
	{ "quoted key then plain key", "images[\"a.b\"].c", "7" },
	{ "missing key", "deployment.paused", NULL },
	{ "missing key on the way", "deployment.template.spec", NULL },
	{ "index past the end", "events[2]", NULL },
	{ "index past the end on the way", "events[2].at", NULL },
	{ "index into an object", "deployment[0]", NULL },
	{ "key into an array", "events.at", NULL },
	{ "key into a number", "n.x", NULL },
	{ "malformed: empty step", "deployment..replicas", NULL },
	{ "malformed: leading dot", ".deployment", NULL },
	{ "malformed: open bracket", "events[", NULL },
	{ "malformed: not an index", "events[x]", NULL },
	{ "malformed: negative index", "events[-1]", NULL },
	{ "malformed: unclosed index", "events[1", NULL },
	{ "malformed: unclosed quote", "images[\"flask-app:1.0].startup",
	  NULL },
	{ "malformed: quote without bracket", "images[\"a.b\".c", NULL },
};

Test(jsonpath, get_table)
{
	cJSON *root = parse(doc);
	size_t i;

	for (i = 0; i < sizeof(get_rows) / sizeof(*get_rows); i++)
		assert_json(get_rows[i].name,
			    jsonpath_get(root, get_rows[i].path),
			    get_rows[i].want);
	cJSON_Delete(root);
}

/* ------------------------------------------------------------ set */

struct set_row {
	const char *name;
	const char *before;
	const char *path;
	const char *value;   /* JSON text */
	const char *after;   /* JSON text, NULL: the call fails */
	const char *why;     /* part of the reason when it fails */
};

static const struct set_row set_rows[] = {
	{ "replace a nested number",
	  "{\"deployment\":{\"replicas\":5}}", "deployment.replicas", "3",
	  "{\"deployment\":{\"replicas\":3}}", NULL },
	{ "replace a number by a string",
	  "{\"d\":{\"s\":1}}", "d.s", "\"25%\"", "{\"d\":{\"s\":\"25%\"}}", NULL },
	{ "replace an object by a number",
	  "{\"d\":{\"s\":{\"x\":1}}}", "d.s", "2", "{\"d\":{\"s\":2}}", NULL },
	{ "add a key to an existing object",
	  "{\"d\":{\"a\":1}}", "d.b", "2", "{\"d\":{\"a\":1,\"b\":2}}", NULL },
	{ "create the missing objects on the way",
	  "{\"d\":{}}", "d.strategy.rollingUpdate.maxSurge", "0",
	  "{\"d\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0}}}}", NULL },
	{ "create from the top", "{}", "a.b.c", "true",
	  "{\"a\":{\"b\":{\"c\":true}}}", NULL },
	{ "replace an array element's field",
	  "{\"e\":[{\"at\":\"1s\"},{\"at\":\"2s\"}]}", "e[1].at", "\"5s\"",
	  "{\"e\":[{\"at\":\"1s\"},{\"at\":\"5s\"}]}", NULL },
	{ "replace an array element",
	  "{\"e\":[1,2,3]}", "e[0]", "{\"k\":1}", "{\"e\":[{\"k\":1},2,3]}",
	  NULL },
	{ "add a field to an array element",
	  "{\"e\":[{}]}", "e[0].image", "\"b\"", "{\"e\":[{\"image\":\"b\"}]}",
	  NULL },
	{ "nested arrays", "{\"g\":[[1,2],[3]]}", "g[0][1]", "9",
	  "{\"g\":[[1,9],[3]]}", NULL },
	{ "quoted key created", "{\"images\":{}}",
	  "images[\"web:2.0\"].pull", "\"1s\"",
	  "{\"images\":{\"web:2.0\":{\"pull\":\"1s\"}}}", NULL },
	{ "quoted key with dots", "{\"a\":{\"b\":1}}", "[\"a.b\"]", "2",
	  "{\"a\":{\"b\":1},\"a.b\":2}", NULL },
	{ "null value", "{\"x\":{\"crash\":1}}", "x.crash", "null",
	  "{\"x\":{\"crash\":null}}", NULL },
	{ "missing array element (last step)", "{\"e\":[1]}", "e[1]", "2",
	  NULL, "no such array element" },
	{ "missing array element (on the way)", "{\"e\":[{}]}", "e[3].at",
	  "\"1s\"", NULL, "no such element" },
	{ "missing array (on the way)", "{}", "events[0].at", "\"1s\"", NULL,
	  "no such element" },
	{ "index into an object", "{\"d\":{\"a\":1}}", "d[0]", "1", NULL,
	  "no such array element" },
	{ "key inside a number", "{\"d\":{\"r\":5}}", "d.r.x", "1", NULL,
	  "not inside an object" },
	{ "key inside an array", "{\"e\":[1]}", "e.x", "1", NULL,
	  "not inside an object" },
	{ "malformed: empty path", "{}", "", "1", NULL, "malformed" },
	{ "malformed: empty step", "{\"a\":{}}", "a..b", "1", NULL,
	  "malformed" },
	{ "malformed: leading dot", "{}", ".a", "1", NULL, "malformed" },
	{ "malformed: open bracket", "{\"e\":[1]}", "e[", "1", NULL,
	  "malformed" },
	{ "malformed: not an index", "{\"e\":[1]}", "e[x]", "1", NULL,
	  "malformed" },
	{ "malformed: negative index", "{\"e\":[1]}", "e[-1]", "1", NULL,
	  "malformed" },
	{ "malformed: unclosed quote", "{}", "[\"a", "1", NULL,
	  "malformed" },
};

Test(jsonpath, set_table)
{
	size_t i;

	for (i = 0; i < sizeof(set_rows) / sizeof(*set_rows); i++) {
		const struct set_row *r = &set_rows[i];
		cJSON *root = parse(r->before);
		const char *why = NULL;
		int rc = jsonpath_set(root, r->path, parse(r->value), &why);

		if (r->after) {
			cr_assert_eq(rc, 0, "%s: failed: %s", r->name,
				     why ? why : "");
			assert_json(r->name, root, r->after);
			assert_json(r->name, jsonpath_get(root, r->path),
				    r->value);
		} else {
			cr_assert_eq(rc, -1, "%s: succeeded", r->name);
			cr_assert_not_null(why, "%s: no reason", r->name);
			cr_assert(strstr(why, r->why) != NULL,
				  "%s: reason \"%s\", expected \"%s\"", r->name,
				  why, r->why);
		}
		cJSON_Delete(root);   /* a failed set freed the value (ASan) */
	}
}

/* ------------------------------------------------------------ delete */

/* jsonpath_delete is a merge patch's null at one path (RFC 7386: "null
 * deletes"), plus the removal of an array element, which a merge patch
 * cannot express. Each after is the before with that one node taken out,
 * written by hand; a NULL after is an error whose reason contains why. */
static const struct set_row delete_rows[] = {
	{ "top-level key", "{\"traffic\":{\"rate\":5},\"n\":1}", "traffic",
	  NULL, "{\"n\":1}", NULL },
	{ "nested key", "{\"a\":{\"b\":1,\"c\":2}}", "a.b", NULL,
	  "{\"a\":{\"c\":2}}", NULL },
	{ "quoted key", "{\"i\":{\"x:1.0\":{\"p\":1}}}", "i[\"x:1.0\"].p",
	  NULL, "{\"i\":{\"x:1.0\":{}}}", NULL },
	{ "absent key: nothing", "{\"a\":{}}", "a.b", NULL, "{\"a\":{}}",
	  NULL },
	{ "absent object on the way: nothing created", "{}", "t.rate", NULL,
	  "{}", NULL },
	{ "array element: the later ones move up", "{\"e\":[1,2,3]}", "e[1]",
	  NULL, "{\"e\":[1,3]}", NULL },
	{ "key inside an array element", "{\"e\":[{\"a\":1,\"b\":2}]}",
	  "e[0].a", NULL, "{\"e\":[{\"b\":2}]}", NULL },
	{ "missing array element", "{\"e\":[1]}", "e[3]", NULL, NULL,
	  "no such array element" },
	{ "missing element on the way", "{\"e\":[]}", "e[0].at", NULL, NULL,
	  "no such element on the way" },
	{ "key under a number", "{\"n\":3}", "n.x", NULL, NULL,
	  "not inside an object" },
	{ "key under a number on the way", "{\"n\":3}", "n.x.y", NULL, NULL,
	  "no such element on the way" },
	{ "index of an object", "{\"a\":{}}", "a[0]", NULL, NULL,
	  "no such array element" },
	{ "malformed", "{}", "a..b", NULL, NULL, "malformed" },
	{ "malformed after an absent key", "{}", "a.b.", NULL, NULL,
	  "malformed" },
	{ "empty", "{}", "", NULL, NULL, "malformed" },
};

Test(jsonpath, delete_table)
{
	size_t i;

	for (i = 0; i < sizeof(delete_rows) / sizeof(*delete_rows); i++) {
		const struct set_row *r = &delete_rows[i];
		cJSON *root = parse(r->before);
		const char *why = NULL;
		int rc = jsonpath_delete(root, r->path, &why);

		if (r->after) {
			cr_assert_eq(rc, 0, "%s: failed: %s", r->name,
				     why ? why : "");
			assert_json(r->name, root, r->after);
		} else {
			cr_assert_eq(rc, -1, "%s: succeeded", r->name);
			cr_assert(why && strstr(why, r->why) != NULL,
				  "%s: reason \"%s\", expected \"%s\"", r->name,
				  why ? why : "", r->why);
			assert_json(r->name, root, r->before);
		}
		cJSON_Delete(root);
	}
}

/* The path grammar of jsonpath.h has no trailing '.', no step glued to a
 * ']' without a '.', and no key longer than the parser's buffer: each
 * must be an error, not another path.
 * (Read loosely, "a." would be "a", "e[0]x" would be "e[0].x", and an
 * unquoted key of 256 or more characters would be cut into two keys.) */
Test(jsonpath, malformed_paths_are_not_reinterpreted)
{
	static const char *const bad[] = { "d.", "e[0]x", "[\"d\"]x" };
	char long_key[301];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cJSON *root = parse("{\"d\":{},\"e\":[{}]}");
		const char *why = NULL;

		cr_expect_eq(jsonpath_set(root, bad[i], cJSON_CreateNumber(1),
					  &why), -1, "%s was accepted", bad[i]);
		cr_expect_null(jsonpath_get(root, bad[i]), "get %s", bad[i]);
		cJSON_Delete(root);
	}
	memset(long_key, 'k', 300);
	long_key[300] = '\0';
	{
		cJSON *root = parse("{}");
		const char *why = NULL;
		int rc = jsonpath_set(root, long_key, cJSON_CreateNumber(1),
				      &why);

		cr_expect(rc == -1 || cJSON_GetObjectItemCaseSensitive(
					      root, long_key) != NULL,
			  "a 300-character key was set under another name");
		cJSON_Delete(root);
	}
}

/* ------------------------------------------------------------ --set values */

struct value_row {
	const char *text;
	const char *want;    /* JSON text of the parsed value */
};

static const struct value_row value_rows[] = {
	{ "10", "10" },
	{ "1.5", "1.5" },
	{ "-3", "-3" },
	{ "0", "0" },
	{ "25%", "\"25%\"" },
	{ "10s", "\"10s\"" },
	{ "flask-app:2.0", "\"flask-app:2.0\"" },
	{ "\"quoted\"", "\"quoted\"" },
	{ "\"10\"", "\"10\"" },
	{ "{\"a\":1}", "{\"a\":1}" },
	{ "{\"dist\":\"constant\",\"value\":\"2s\"}",
	  "{\"dist\":\"constant\",\"value\":\"2s\"}" },
	{ "[0,1,\"25%\"]", "[0,1,\"25%\"]" },
	{ "true", "true" },
	{ "false", "false" },
	{ "null", "null" },
	{ "", "\"\"" },
	{ "10 20", "\"10 20\"" },          /* not one JSON value */
	{ "{\"a\":", "\"{\\\"a\\\":\"" },  /* broken JSON: the text */
};

Test(jsonpath, value_table)
{
	size_t i;

	for (i = 0; i < sizeof(value_rows) / sizeof(*value_rows); i++) {
		cJSON *v = jsonpath_value(value_rows[i].text);

		assert_json(value_rows[i].text, v, value_rows[i].want);
		cJSON_Delete(v);
	}
}

/* ------------------------------------------------------------ merge */

struct merge_row {
	const char *target, *patch, *result;
};

/* RFC 7386, Appendix A, in its order. */
static const struct merge_row rfc_rows[] = {
	{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
	{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
	{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
	{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
	  "{\"a\":{\"b\":\"d\"}}" },
	{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
	{ "{\"x\":[\"a\",\"b\"]}", "{\"x\":[\"c\",\"d\"]}",
	  "{\"x\":[\"c\",\"d\"]}" },
	{ "{\"x\":{\"a\":\"b\"}}", "{\"x\":[\"c\"]}", "{\"x\":[\"c\"]}" },
	{ "{\"x\":{\"a\":\"foo\"}}", "{\"x\":null}", "{}" },
	{ "{\"x\":{\"a\":\"foo\"}}", "{\"x\":\"bar\"}", "{\"x\":\"bar\"}" },
	{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
	/* the two where the patch's object meets a non-object: see below */
};

/* A scenario-shaped case: a variant switching to Recreate. */
static const struct merge_row scenario_rows[] = {
	{ "{\"deployment\":{\"replicas\":5,\"strategy\":{\"type\":"
	  "\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1}}}}",
	  "{\"deployment\":{\"strategy\":{\"type\":\"Recreate\","
	  "\"rollingUpdate\":null}}}",
	  "{\"deployment\":{\"replicas\":5,\"strategy\":{\"type\":"
	  "\"Recreate\"}}}" },
	{ "{\"deployment\":{\"replicas\":5},\"traffic\":{\"rate\":10}}",
	  "{\"traffic\":null,\"deployment\":{\"replicas\":7}}",
	  "{\"deployment\":{\"replicas\":7}}" },
	{ "{\"images\":{\"a:1\":{\"pull\":\"1s\"}}}",
	  "{\"images\":{\"a:1\":{\"pull\":\"2s\",\"startup\":\"3s\"}}}",
	  "{\"images\":{\"a:1\":{\"pull\":\"2s\",\"startup\":\"3s\"}}}" },
	{ "{\"a\":1}", "{}", "{\"a\":1}" },
	{ "{\"a\":1}", "{\"nothing\":null}", "{\"a\":1}" },
};

static void merge_rows(const struct merge_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *t = parse(rows[i].target), *p = parse(rows[i].patch);
		cJSON *p0 = cJSON_Duplicate(p, 1);
		char name[300];

		snprintf(name, sizeof(name), "%s + %s", rows[i].target,
			 rows[i].patch);
		cr_assert_eq(jsonpath_merge(t, p), 0, "%s: failed", name);
		assert_json(name, t, rows[i].result);
		cr_assert(cJSON_Compare(p, p0, 1), "%s: the patch changed",
			  name);
		cJSON_Delete(t);
		cJSON_Delete(p);
		cJSON_Delete(p0);
	}
}

Test(jsonpath, merge_rfc7386_examples)
{
	merge_rows(rfc_rows, sizeof(rfc_rows) / sizeof(*rfc_rows));
}

Test(jsonpath, merge_scenario_cases)
{
	merge_rows(scenario_rows, sizeof(scenario_rows) /
				  sizeof(*scenario_rows));
}

/* RFC 7386: MergePatch(Target, Patch) with an object Patch and a Target
 * that is not an object starts from {} and merges, so the patch's nulls
 * delete (nothing) and do not end up in the result. The last two rows
 * of Appendix A, wrapped in {"x": ...} or as printed.
 * A patch object merged where the target member is missing or not an
 * object must still drop its nulls: a variant {"deployment":{"strategy":
 * {"type":"Recreate","rollingUpdate":null}}} over a base without
 * "strategy" must not leave "rollingUpdate": null for the loader. */
Test(jsonpath, merge_rfc7386_object_over_non_object)
{
	static const struct merge_row rows[] = {
		{ "{\"x\":[1,2]}", "{\"x\":{\"a\":\"b\",\"c\":null}}",
		  "{\"x\":{\"a\":\"b\"}}" },
		{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}",
		  "{\"a\":{\"bb\":{}}}" },
		{ "{\"deployment\":{\"replicas\":5}}",
		  "{\"deployment\":{\"strategy\":{\"type\":\"Recreate\","
		  "\"rollingUpdate\":null}}}",
		  "{\"deployment\":{\"replicas\":5,\"strategy\":{\"type\":"
		  "\"Recreate\"}}}" },
	};

	merge_rows(rows, sizeof(rows) / sizeof(*rows));
}
