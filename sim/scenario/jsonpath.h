/* jsonpath.h - dotted JSON paths and merge patches on cJSON trees.
 *
 * A path is the one error messages print and --set takes: object keys
 * joined by '.', array elements as [i], a key with '.', '[' or ']' in it
 * as ["key"]:  deployment.strategy.rollingUpdate.maxSurge,
 * images["flask-app:1.0"].startup, events[0].at.
 */
#ifndef RSIM_JSONPATH_H
#define RSIM_JSONPATH_H

#include <cjson/cJSON.h>

/* The node at path, or NULL. */
cJSON *jsonpath_get(cJSON *root, const char *path);

/* Replaces (or adds) the node at path with value (taken over: freed on
 * failure). Missing objects on the way are created; array indices must
 * exist. Returns 0, or -1 with a reason in why (static text); when out
 * of memory (value NULL included) the reason is wrong: callers tell by
 * rsim_alloc_failures (alloc.h). */
int jsonpath_set(cJSON *root, const char *path, cJSON *value,
		 const char **why);

/* Removes the node at path, as a merge patch's null does: an object
 * member is deleted (nothing happens when it, or an object on the way,
 * is absent: nothing is created), an array element is taken out (the
 * later ones move up; the index must exist). Returns 0, or -1 with a
 * reason in why (static text). */
int jsonpath_delete(cJSON *root, const char *path, const char **why);

/* Parses a --set value: JSON if it parses, else the text as a string.
 * NULL when out of memory. */
cJSON *jsonpath_value(const char *text);

/* Levels of arrays and objects in v: 0 for a scalar, 1 for [1], 2 for
 * {"a":[1]}. Recursive: for trees cJSON built (at most 1000 deep). */
int jsonpath_depth(const cJSON *v);

/* RFC 7386 merge: objects merge key by key, null deletes, anything else
 * replaces. target is changed in place; patch is not. Returns 0 or -1
 * when out of memory. */
int jsonpath_merge(cJSON *target, const cJSON *patch);

#endif
