/* jsonpath.c - dotted paths and merge patches (jsonpath.h). */
#include "jsonpath.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"

#define JSONPATH_KEY_MAX 256

/* One step of a path: a key or an index. Returns the rest of the path
 * after it, or NULL when malformed. */
static const char *next_step(const char *p, char *key, long *index)
{
	size_t n = 0;

	*index = -1;
	if (p[0] == '[' && p[1] == '"') {
		p += 2;
		while (*p && *p != '"' && n + 1 < JSONPATH_KEY_MAX)
			key[n++] = *p++;
		if (p[0] != '"' || p[1] != ']')
			return NULL;
		p += 2;
	} else if (p[0] == '[') {
		char *end;

		if (!isdigit((unsigned char)p[1]))
			return NULL;
		*index = strtol(p + 1, &end, 10);
		if (*end != ']')
			return NULL;
		p = end + 1;
	} else {
		while (*p && *p != '.' && *p != '[' && n + 1 < JSONPATH_KEY_MAX)
			key[n++] = *p++;
		if (n == 0 || (*p && *p != '.' && *p != '['))
			return NULL;           /* empty, or a key too long */
	}
	key[n] = '\0';
	if (*p == '.') {
		p++;
		if (!*p || *p == '.' || *p == '[')
			return NULL;           /* "a." or "a..b" or "a.[0]" */
	} else if (*p && *p != '[') {
		return NULL;                   /* "e[0]x" */
	}
	return p;
}

cJSON *jsonpath_get(cJSON *root, const char *path)
{
	char key[JSONPATH_KEY_MAX];
	long index;
	cJSON *node = root;

	while (node && *path) {
		path = next_step(path, key, &index);
		if (!path)
			return NULL;
		if (index >= 0)
			node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node,
							(int)index) : NULL;
		else
			node = cJSON_IsObject(node)
				       ? cJSON_GetObjectItemCaseSensitive(node,
									  key)
				       : NULL;
	}
	return node;
}

/* Sets node[key or index] = value; creates nothing but the last step. */
static int set_child(cJSON *node, const char *key, long index, cJSON *value,
		     const char **why)
{
	if (index >= 0) {
		if (!cJSON_IsArray(node) || index >= cJSON_GetArraySize(node)) {
			*why = "no such array element";
			return -1;
		}
		return cJSON_ReplaceItemInArray(node, (int)index,
						value) ? 0 : -1;
	}
	if (!cJSON_IsObject(node)) {
		*why = "not inside an object";
		return -1;
	}
	if (cJSON_GetObjectItemCaseSensitive(node, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(node, key, value)
			       ? 0 : -1;
	return cJSON_AddItemToObject(node, key, value) ? 0 : -1;
}

int jsonpath_set(cJSON *root, const char *path, cJSON *value,
		 const char **why)
{
	char key[JSONPATH_KEY_MAX];
	long index;
	cJSON *node = root, *child;
	const char *rest = path;

	*why = "malformed path";
	if (!*path)
		goto fail;
	for (;;) {
		rest = next_step(rest, key, &index);
		if (!rest)
			goto fail;
		if (!*rest)
			break;
		child = index >= 0 ? (cJSON_IsArray(node)
				      ? cJSON_GetArrayItem(node, (int)index)
				      : NULL)
				   : (cJSON_IsObject(node)
				      ? cJSON_GetObjectItemCaseSensitive(node,
									 key)
				      : NULL);
		if (!child && index < 0 && cJSON_IsObject(node))
			child = cJSON_AddObjectToObject(node, key);
		if (!child) {
			*why = "no such element on the way";
			goto fail;
		}
		node = child;
	}
	if (set_child(node, key, index, value, why) == 0)
		return 0;
fail:
	cJSON_Delete(value);
	return -1;
}

/* The child of node at key or index for jsonpath_delete: *gone when an
 * object on the way is absent (the path is still checked to its end). */
static cJSON *delete_step(cJSON *node, const char *key, long index,
			  int *gone)
{
	cJSON *child;

	if (*gone)
		return NULL;
	if (index >= 0)
		return cJSON_IsArray(node) ? cJSON_GetArrayItem(node,
								(int)index)
					   : NULL;
	if (!cJSON_IsObject(node))
		return NULL;
	child = cJSON_GetObjectItemCaseSensitive(node, key);
	*gone = child == NULL;
	return child;
}

int jsonpath_delete(cJSON *root, const char *path, const char **why)
{
	char key[JSONPATH_KEY_MAX];
	long index;
	cJSON *node = root;
	const char *rest = path;
	int gone = 0;

	*why = "malformed path";
	if (!*path)
		return -1;
	for (;;) {
		rest = next_step(rest, key, &index);
		if (!rest)
			return -1;
		if (!*rest)
			break;
		node = delete_step(node, key, index, &gone);
		if (!node && !gone) {
			*why = "no such element on the way";
			return -1;
		}
	}
	if (gone || (index < 0 && cJSON_IsObject(node))) {
		if (!gone)
			cJSON_DeleteItemFromObjectCaseSensitive(node, key);
		return 0;                    /* absent: nothing to remove */
	}
	if (index < 0 || !cJSON_IsArray(node) ||
	    index >= cJSON_GetArraySize(node)) {
		*why = index < 0 ? "not inside an object"
				 : "no such array element";
		return -1;
	}
	cJSON_DeleteItemFromArray(node, (int)index);
	return 0;
}

cJSON *jsonpath_value(const char *text)
{
	const char *end = NULL;
	unsigned long failures = rsim_alloc_failures();
	cJSON *v = cJSON_ParseWithOpts(text, &end, 1);

	if (v || rsim_alloc_failures() != failures)  /* NULL: out of memory */
		return v;
	return cJSON_CreateString(text);
}

int jsonpath_depth(const cJSON *v)
{
	const cJSON *ch;
	int d = 0, k;

	if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
		return 0;
	for (ch = v->child; ch; ch = ch->next)
		if ((k = jsonpath_depth(ch)) > d)
			d = k;
	return d + 1;
}

int jsonpath_merge(cJSON *target, const cJSON *patch)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, patch) {
		cJSON *t = cJSON_GetObjectItemCaseSensitive(target, p->string);

		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target,
								p->string);
		} else if (cJSON_IsObject(p)) {
			/* RFC 7386: an object patch applies to the member, or to
			 * an empty object when the member is not one */
			if (!cJSON_IsObject(t)) {
				cJSON *o = cJSON_CreateObject();

				if (!o)
					return -1;
				if (t ? !cJSON_ReplaceItemInObjectCaseSensitive(
						target, p->string, o)
				      : !cJSON_AddItemToObject(target,
							       p->string,
							       o)) {
					cJSON_Delete(o);
					return -1;
				}
				t = o;
			}
			if (jsonpath_merge(t, p))
				return -1;
		} else {
			cJSON *copy = cJSON_Duplicate(p, 1);

			if (!copy)
				return -1;
			if (t ? !cJSON_ReplaceItemInObjectCaseSensitive(
					target, p->string, copy)
			      : !cJSON_AddItemToObject(target, p->string,
						       copy)) {
				cJSON_Delete(copy);
				return -1;
			}
		}
	}
	return 0;
}
