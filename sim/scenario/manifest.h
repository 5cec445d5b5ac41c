/* manifest.h - a Kubernetes manifest file as a cJSON tree with lines.
 *
 * Finds the first object of a given kind in a manifest: a YAML stream
 * (each document in turn) or an already parsed JSON tree; the object is
 * a document of that kind or an item of a List (kind "List" or
 * "<Kind>List"). Values are typed as kubectl reads them (manifest.c) and
 * members whose value is null are dropped (the API server treats null as
 * unset). Every node of a YAML manifest keeps its 1-based source line,
 * so that a reader of the tree can point at the offending line.
 * Errors fill a struct rsim_error whose file is "FILE:LINE" when the line
 * is known ("deploy.yaml:12"), FILE otherwise.
 */
#ifndef RSIM_MANIFEST_H
#define RSIM_MANIFEST_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "sim/core/err.h"

struct manifest;  /* opaque: the tree, its object and the line table */

/* Parses YAML text[0..len) and looks for the first object of kind.
 * file is only used in messages. Returns 0 and *out (free with
 * manifest_free), or RSIM_EINPUT / RSIM_ENOMEM with err filled: malformed
 * YAML ("deploy.yaml:7: malformed YAML at column 3: ..."), a duplicate
 * key, too much nesting or too many values, no object of kind. */
int manifest_load_yaml(const char *text, size_t len, const char *file,
		       const char *kind, struct manifest **out,
		       struct rsim_error *err);

/* The same over a parsed JSON tree, which is taken over (freed here on
 * failure, by manifest_free otherwise). No lines are known. */
int manifest_load_tree(cJSON *root, const char *file, const char *kind,
		       struct manifest **out, struct rsim_error *err);

/* The object found (borrowed from m). */
const cJSON *manifest_object(const struct manifest *m);

/* The line of the value at path (scenario.h's path syntax, relative to
 * the object), or of the deepest value along path that exists; 0 when
 * unknown (JSON manifests). */
long manifest_line_at(const struct manifest *m, const char *path);

void manifest_free(struct manifest *m);

#endif
