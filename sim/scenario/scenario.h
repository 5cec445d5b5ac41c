/* scenario.h - JSON scenario -> struct world_config, with exact errors.
 *
 * The schema is documented in docs/scenario.md (every key, type and
 * default). Every problem is reported as one line naming the file, the
 * dotted JSON path and what was expected:
 *   scenarios/x.json: deployment.replicas: expected a non-negative
 *   integer, got "five"
 * Paths: object keys joined with '.', array elements as [i]; a key that
 * contains '.', '[' or ']' is written as ["key"] (images["flask-app:1.0"]).
 * Unknown keys are errors with a "did you mean" hint. Omitted fields take
 * Kubernetes' defaults (models/config.c).
 *
 * cJSON keeps a global error pointer, so parse on one thread only.
 */
#ifndef RSIM_SCENARIO_H
#define RSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "models/world.h"
#include "sim/core/err.h"

/* Reads and validates file into cfg (initialised here; on failure cfg is
 * released and left empty). Returns 0, or RSIM_EINPUT / RSIM_ENOMEM with err
 * filled. */
int scenario_load_file(const char *file, struct world_config *cfg,
		       struct rsim_error *err);

/* Reads file (at most 16 MiB) and parses it as one JSON document, as the
 * loader does: a syntax error, a NUL byte, anything but whitespace after
 * the document or nesting deeper than 100 levels is an RSIM_EINPUT error
 * ("FILE: malformed JSON at line L, column C"). *out is any JSON value
 * (free with cJSON_Delete). */
int scenario_parse_file(const char *file, cJSON **out,
			struct rsim_error *err);

/* The same from JSON text; file is only used in messages. */
int scenario_load_string(const char *text, const char *file,
			 struct world_config *cfg, struct rsim_error *err);

/* Reads and parses file as the loader does (errors located by line and
 * column) into *out, which must be a JSON object: a document that is not
 * one gets the loader's message; a Kubernetes manifest gives the
 * scenario that wraps it (scenario_load_input). Free *out with
 * cJSON_Delete. */
int scenario_read_tree(const char *file, cJSON **out,
		       struct rsim_error *err);

/* Writes each of the n_sets "PATH=VALUE" overrides into root (jsonpath.h
 * says how a value is typed and which paths are created); a VALUE of
 * null removes the key or array element instead (jsonpath_delete), as a
 * sweep variant's null does. A malformed
 * line, a path that cannot be set or a value nested deeper than
 * JSON_DEPTH_MAX is RSIM_EINPUT naming file and the path. */
int scenario_apply_sets(cJSON *root, const char *file,
			const char *const *sets, int n_sets,
			struct rsim_error *err);

/* Loads a tree (without its `sweep` section) as scenario_load_string
 * does; file is only used in messages. */
int scenario_load_tree(const cJSON *tree, const char *file,
		       struct world_config *cfg, struct rsim_error *err);

/* Loads file with the --set overrides applied and its `sweep` section
 * ignored (scenario_load_input without events or note). */
int scenario_load_with_sets(const char *file, const char *const *sets,
			    int n_sets, struct world_config *cfg,
			    struct rsim_error *err);

/* What `rollsim run` and the teaching commands load. */
struct scenario_input {
	const char *file;             /* a scenario, or a Kubernetes manifest */
	const char *const *sets;      /* --set PATH=VALUE, applied first */
	int n_sets;
	const char *const *events;    /* --event JSON, appended in order */
	int n_events;
};

/* Reads in->file (a Kubernetes manifest is wrapped into a scenario with
 * default timings and an update at 60 s: then note[n_note], if not NULL,
 * tells in one line what was assumed, else it is ""), applies the --set
 * overrides, appends each --event to the scenario's events, drops the
 * `sweep` section and loads the result into cfg. An --event that is not
 * one JSON value is "--event[N]: malformed JSON at line L, column C"
 * (N counts the --event arguments from 0); an event the loader rejects
 * is reported as "--event[N]: PATH: ..." with PATH inside the event.
 * Returns 0, or RSIM_EINPUT / RSIM_ENOMEM with err filled. */
int scenario_load_input(const struct scenario_input *in,
			struct world_config *cfg, char *note, size_t n_note,
			struct rsim_error *err);

/* Parses a duration: "500ms", "10s", "2m", "1h", "1m30s", "1.5s", "250us",
 * "100ns", or a JSON number of seconds. Returns 0 and *out_ns, or -1. */
int scenario_parse_duration(const char *s, sim_time_t *out_ns);

#endif
