/* scenario_input.c - what `rollsim run` and the teaching commands load
 * (scenario_load_input, scenario.h): the file (or the scenario that wraps
 * a manifest), its --set overrides, then each --event appended to its
 * events, where the loader validates it as any other event. An error in
 * an appended event is given back in the --event's own terms.
 */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"
#include "scenario_json.h"

#define INPUT_ARG_MAX 32        /* "--event[N]" */

/* Parses the n-th --event and appends it to events. */
static int input_event(cJSON *events, const char *text, int n,
		       struct rsim_error *err)
{
	char arg[INPUT_ARG_MAX];
	struct json_ctx c;
	cJSON *ev = NULL;
	int rc;

	snprintf(arg, sizeof(arg), "--event[%d]", n);
	json_ctx_init(&c, arg, err);
	rc = json_parse(&c, text, strlen(text), &ev);
	if (rc)
		return rc;
	if (!cJSON_AddItemToArray(events, ev)) {
		cJSON_Delete(ev);
		return json_fail_nomem(&c);
	}
	if (jsonpath_depth(events) + 1 > JSON_DEPTH_MAX)
		return json_fail(&c, "nested deeper than %d levels in the "
				 "scenario", JSON_DEPTH_MAX);
	return 0;
}

/* Appends the --event values to root's events (created when absent);
 * *first is the index the first one gets. An events that is not an
 * array is left for the loader to report. */
static int input_events(cJSON *root, const struct scenario_input *in,
			int *first, struct rsim_error *err)
{
	cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "events");
	int i, rc = 0;

	*first = -1;
	if (in->n_events == 0)
		return 0;
	if (!events)
		events = cJSON_AddArrayToObject(root, "events");
	if (!events)
		return rsim_error_set(err, RSIM_ENOMEM, in->file, "",
				      "out of memory");
	if (!cJSON_IsArray(events))
		return 0;
	*first = cJSON_GetArraySize(events);
	for (i = 0; i < in->n_events && rc == 0; i++)
		rc = input_event(events, in->events[i], i, err);
	return rc;
}

/* An error at events[K]... with K >= first is in --event[K - first]:
 * the error then names it, with the path inside the event. */
static void input_blame_event(struct rsim_error *err, int first)
{
	char rest[sizeof(err->path)], *end;
	long k;

	if (first < 0 || strncmp(err->path, "events[", 7) != 0)
		return;
	k = strtol(err->path + 7, &end, 10);
	if (end == err->path + 7 || *end != ']' || k < first)
		return;
	end++;
	snprintf(rest, sizeof(rest), "%s", *end == '.' ? end + 1 : end);
	snprintf(err->file, sizeof(err->file), "--event[%ld]", k - first);
	snprintf(err->path, sizeof(err->path), "%s", rest);
}

int scenario_load_input(const struct scenario_input *in,
			struct world_config *cfg, char *note, size_t n_note,
			struct rsim_error *err)
{
	cJSON *root;
	int first = -1, rc;

	world_config_init(cfg);
	rc = scenario_read_tree_note(in->file, &root, note, n_note, err);
	if (rc)
		return rc;
	rc = scenario_apply_sets(root, in->file, in->sets, in->n_sets, err);
	if (!rc)
		rc = input_events(root, in, &first, err);
	cJSON_DeleteItemFromObjectCaseSensitive(root, "sweep");
	if (!rc) {
		rc = scenario_load_tree(root, in->file, cfg, err);
		if (rc == RSIM_EINPUT)
			input_blame_event(err, first);
	}
	cJSON_Delete(root);
	return rc;
}
