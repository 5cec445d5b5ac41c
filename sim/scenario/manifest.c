/* manifest.c - Kubernetes manifests (YAML or JSON) as cJSON trees.
 *
 * YAML goes through libyaml's document loader (anchors and aliases
 * resolved, one document of the stream at a time); only documents whose
 * kind is the one asked for, or a List, are converted. Plain scalars are
 * typed as kubectl's decoder does (sigs.k8s.io/yaml over go-yaml v2,
 * YAML 1.1): null / ~ / empty, true / yes / on, false / no / off,
 * integers (0x, 0o, 0b, a leading 0 is octal, '_' ignored), floats;
 * quoted scalars stay strings. Merge keys (<<) are applied; a duplicate
 * key is an error, as in kubectl. Members whose value is null are then
 * dropped. The work is bounded: MANIFEST_NODES_MAX values (an alias
 * counts again at each use, so "billion laughs" stops early) and
 * MANIFEST_DEPTH_MAX levels (checked on the event stream before a
 * document is composed; a recursive alias stops there too). Lines live
 * in a side table of (node, line), newest last: a node freed during the
 * conversion may have its address reused, and the newest entry wins.
 */
#include "manifest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "sim/core/alloc.h"

#define MANIFEST_NODES_MAX 200000   /* values converted per document */
#define MANIFEST_DEPTH_MAX 100      /* nesting levels */
#define MANIFEST_NUM_MAX 128        /* longest scalar tried as a number */
#define MANIFEST_KINDS_MAX 160      /* bytes of kinds listed in a message */

struct manifest_line {
	const cJSON *node;
	long line;                  /* 1-based */
};

struct manifest {
	cJSON *tree;                /* the document holding object, owned */
	const cJSON *object;        /* the object of the kind asked for */
	struct manifest_line *lines;  /* in creation order */
	size_t n_lines;
	size_t cap_lines;
};

/* One YAML document being converted. */
struct yconv {
	yaml_document_t *doc;
	struct manifest *m;
	const char *file;           /* for messages */
	struct rsim_error *err;
	size_t nodes;               /* values converted so far */
};

/* A member of a mapping being built, for the duplicate check. */
struct yentry {
	cJSON *item;
	size_t rank;                /* < n_pairs: explicit, in file order;
				       larger: merged (earlier sources first) */
	long line;                  /* of the key */
};

struct yentries {
	struct yentry *v;
	size_t n;
	size_t cap;
};

static const char *const yaml_nulls[] = { "", "~", "null", "Null", "NULL",
					  NULL };
static const char *const yaml_trues[] = {
	"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
	"ON", NULL
};
static const char *const yaml_falses[] = {
	"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off",
	"OFF", NULL
};
static const char *const yaml_nans[] = { ".nan", ".NaN", ".NAN", NULL };
static const char *const yaml_infs[] = {
	".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL
};
static const char *const yaml_minus_infs[] = { "-.inf", "-.Inf", "-.INF",
					       NULL };

static int manifest_fail_at(struct rsim_error *err, const char *file,
			    long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int manifest_fail_at(struct rsim_error *err, const char *file,
			    long line, const char *fmt, ...)
{
	char where[sizeof(err->file)], msg[sizeof(err->msg)], *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (c = msg; *c; c++)    /* keys and kinds quoted from the input: */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)  /* one line */
			*c = '?';
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%ld", file, line);
	else
		snprintf(where, sizeof(where), "%s", file);
	return rsim_error_set(err, RSIM_EINPUT, where, "", "%s", msg);
}

static int manifest_nomem(struct rsim_error *err, const char *file)
{
	return rsim_error_set(err, RSIM_ENOMEM, file, "", "out of memory");
}

static int manifest_add_line(struct manifest *m, const cJSON *node,
			     long line)
{
	struct manifest_line *nl;
	size_t cap;

	if (m->n_lines == m->cap_lines) {
		cap = m->cap_lines ? m->cap_lines * 2 : 64;
		if (cap > SIZE_MAX / sizeof(*nl))
			return RSIM_ENOMEM;
		nl = rsim_realloc(m->lines, cap * sizeof(*nl));
		if (!nl)
			return RSIM_ENOMEM;
		m->lines = nl;
		m->cap_lines = cap;
	}
	m->lines[m->n_lines].node = node;
	m->lines[m->n_lines].line = line;
	m->n_lines++;
	return 0;
}

/* The newest line recorded for node, 0 if none. */
static long manifest_line(const struct manifest *m, const cJSON *node)
{
	size_t i;

	for (i = m->n_lines; i > 0; i--)
		if (m->lines[i - 1].node == node)
			return m->lines[i - 1].line;
	return 0;
}

static int str_in(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return 99;
}

/* Go's strconv.ParseInt / ParseUint with base 0: [+-]? then 0x.., 0o..,
 * 0b.., 0[0-7]+ (octal) or decimal digits. */
static int yaml_int(const char *s, double *out)
{
	const char *p = s;
	uint64_t v = 0, base = 10, d;
	int neg = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, p += 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, p += 2;
	else if (p[0] == '0' && p[1])
		base = 8, p += 1;
	if (!*p)
		return 0;
	for (; *p; p++) {
		d = (uint64_t)digit_value(*p);
		if (d >= base || v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
	}
	if (neg && v > (UINT64_C(1) << 63))
		return 0;
	*out = neg ? -(double)v : (double)v;
	return 1;
}

static const char *skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

/* go-yaml's float syntax, [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?
 * [0-9]+)?, and a finite value (an overflow stays a string). */
static int yaml_float(const char *s, double *out)
{
	const char *p = s, *q;

	if (*p == '+' || *p == '-')
		p++;
	q = p;
	if (*p == '.') {
		q = skip_digits(p + 1);
		if (q == p + 1)
			return 0;
	} else {
		q = skip_digits(p);
		if (q == p)
			return 0;
		if (*q == '.')
			q = skip_digits(q + 1);
	}
	if (*q == 'e' || *q == 'E') {
		p = q + 1;
		if (*p == '+' || *p == '-')
			p++;
		q = skip_digits(p);
		if (q == p)
			return 0;
	}
	if (*q)
		return 0;
	errno = 0;
	*out = strtod(s, NULL);
	return !(errno == ERANGE && isinf(*out));
}

/* A plain scalar as a number: '_' removed, then an integer or a float. */
static int yaml_number(const char *s, double *out)
{
	char buf[MANIFEST_NUM_MAX + 1];
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '_')
			continue;
		if (n == MANIFEST_NUM_MAX)
			return 0;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return yaml_int(buf, out) || yaml_float(buf, out);
}

/* Plain untagged scalars, and those tagged !!null, !!bool, !!int or
 * !!float, are resolved (libyaml gives an untagged scalar the !!str tag,
 * so an explicit "!!str 5" is resolved too: a known gap). */
static int yconv_resolves(const yaml_node_t *n)
{
	const char *tag = (const char *)n->tag;
	int plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;

	if (!tag || strcmp(tag, YAML_STR_TAG) == 0)
		return plain;
	return strcmp(tag, YAML_NULL_TAG) == 0 ||
	       strcmp(tag, YAML_BOOL_TAG) == 0 ||
	       strcmp(tag, YAML_INT_TAG) == 0 ||
	       strcmp(tag, YAML_FLOAT_TAG) == 0;
}

/* cJSON_CreateNumber(NAN) would convert NaN to int (undefined). */
static cJSON *yaml_nan(void)
{
	cJSON *v = cJSON_CreateNumber(0.0);

	if (v)
		v->valuedouble = (double)NAN;
	return v;
}

static cJSON *yaml_resolve(const char *s)
{
	double d;

	if (str_in(s, yaml_nulls))
		return cJSON_CreateNull();
	if (str_in(s, yaml_trues))
		return cJSON_CreateTrue();
	if (str_in(s, yaml_falses))
		return cJSON_CreateFalse();
	if (str_in(s, yaml_nans))
		return yaml_nan();
	if (str_in(s, yaml_infs))
		return cJSON_CreateNumber(HUGE_VAL);
	if (str_in(s, yaml_minus_infs))
		return cJSON_CreateNumber(-HUGE_VAL);
	if (yaml_number(s, &d))
		return cJSON_CreateNumber(d);
	return cJSON_CreateString(s);
}

static long node_line(const yaml_node_t *n)
{
	return (long)n->start_mark.line + 1;
}

/* The text of a scalar; NULL (after an error) when it holds a NUL. */
static const char *yconv_text(struct yconv *y, const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	if (strlen(s) != n->data.scalar.length) {
		manifest_fail_at(y->err, y->file, node_line(n),
				 "a NUL character in a value is not "
				 "supported");
		return NULL;
	}
	return s;
}

static int yconv_scalar(struct yconv *y, const yaml_node_t *n, cJSON **out)
{
	const char *s = yconv_text(y, n);

	if (!s)
		return RSIM_EINPUT;
	*out = yconv_resolves(n) ? yaml_resolve(s) : cJSON_CreateString(s);
	return *out ? 0 : RSIM_ENOMEM;
}

static int yconv_node(struct yconv *y, yaml_node_t *n, int depth,
		      long line, cJSON **out);

static int yconv_sequence(struct yconv *y, yaml_node_t *n, int depth,
			  cJSON **out)
{
	yaml_node_item_t *it;
	yaml_node_t *ch;
	cJSON *arr = cJSON_CreateArray(), *item;
	int rc = arr ? 0 : RSIM_ENOMEM;

	for (it = n->data.sequence.items.start;
	     rc == 0 && it < n->data.sequence.items.top; it++) {
		ch = yaml_document_get_node(y->doc, *it);
		if (!ch)
			continue;
		rc = yconv_node(y, ch, depth + 1, node_line(ch), &item);
		if (rc == 0 && !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			rc = RSIM_ENOMEM;
		}
	}
	if (rc)
		cJSON_Delete(arr);
	*out = rc ? NULL : arr;
	return rc;
}

static int yentries_push(struct yentries *es, cJSON *item, size_t rank,
			 long line)
{
	struct yentry *nv;
	size_t cap;

	if (es->n == es->cap) {
		cap = es->cap ? es->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*nv))
			return RSIM_ENOMEM;
		nv = rsim_realloc(es->v, cap * sizeof(*nv));
		if (!nv)
			return RSIM_ENOMEM;
		es->v = nv;
		es->cap = cap;
	}
	es->v[es->n].item = item;
	es->v[es->n].rank = rank;
	es->v[es->n].line = line;
	es->n++;
	return 0;
}

/* Adds item under key to obj and to es; item is freed on failure. */
static int yconv_add(struct yentries *es, cJSON *obj, const char *key,
		     cJSON *item, size_t rank, long line)
{
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return RSIM_ENOMEM;
	}
	return yentries_push(es, item, rank, line);
}

static int is_merge_key(const yaml_node_t *k)
{
	return k->type == YAML_SCALAR_NODE &&
	       k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       strcmp((const char *)k->data.scalar.value, "<<") == 0;
}

/* One explicit key: value pair (merge keys are done afterwards). */
static int yconv_pair(struct yconv *y, cJSON *obj, const yaml_node_pair_t *pr,
		      size_t rank, int depth, struct yentries *es)
{
	yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
	yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
	const char *key;
	cJSON *item;
	int rc;

	if (!k || !v || is_merge_key(k))
		return 0;
	if (k->type != YAML_SCALAR_NODE)
		return manifest_fail_at(y->err, y->file, node_line(k),
					"expected a scalar mapping key, got "
					"a %s", k->type == YAML_SEQUENCE_NODE ?
					"sequence" : "mapping");
	key = yconv_text(y, k);
	if (!key)
		return RSIM_EINPUT;
	rc = yconv_node(y, v, depth + 1, node_line(k), &item);
	if (rc == 0)
		rc = yconv_add(es, obj, key, item, rank, node_line(k));
	return rc;
}

/* The members of one merged mapping src, added at rank. */
static int yconv_merge_one(struct yconv *y, cJSON *obj, yaml_node_t *src,
			   size_t rank, int depth, struct yentries *es)
{
	cJSON *tmp, *ch;
	long line;
	int rc;

	if (src->type != YAML_MAPPING_NODE)
		return manifest_fail_at(y->err, y->file, node_line(src),
					"expected a mapping or a sequence of "
					"mappings to merge (<<)");
	rc = yconv_node(y, src, depth + 1, node_line(src), &tmp);
	while (rc == 0 && tmp->child) {
		line = manifest_line(y->m, tmp->child);
		ch = cJSON_DetachItemViaPointer(tmp, tmp->child);
		rc = yconv_add(es, obj, ch->string, ch, rank, line);
	}
	cJSON_Delete(tmp);
	return rc;
}

/* Every << of mapping n: a mapping, or a sequence of them (the earlier
 * one wins); ranks follow the n_pairs explicit ones. */
static int yconv_merges(struct yconv *y, cJSON *obj, const yaml_node_t *n,
			int depth, struct yentries *es)
{
	size_t n_pairs = (size_t)(n->data.mapping.pairs.top -
				  n->data.mapping.pairs.start);
	size_t rank = n_pairs;
	yaml_node_pair_t *pr;
	yaml_node_item_t *it;
	yaml_node_t *k, *v, *src;
	int rc = 0;

	for (pr = n->data.mapping.pairs.start;
	     rc == 0 && pr < n->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(y->doc, pr->key);
		v = yaml_document_get_node(y->doc, pr->value);
		if (!k || !v || !is_merge_key(k))
			continue;
		if (v->type != YAML_SEQUENCE_NODE) {
			rc = yconv_merge_one(y, obj, v, rank++, depth, es);
			continue;
		}
		for (it = v->data.sequence.items.start;
		     rc == 0 && it < v->data.sequence.items.top; it++) {
			src = yaml_document_get_node(y->doc, *it);
			if (src)
				rc = yconv_merge_one(y, obj, src, rank++,
						     depth, es);
		}
	}
	return rc;
}

static int yentry_cmp(const void *pa, const void *pb)
{
	const struct yentry *a = pa, *b = pb;
	int c = strcmp(a->item->string, b->item->string);

	if (c)
		return c;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Sorted by key then rank: in each run of one key the first entry stays;
 * a second explicit one is a duplicate, merged ones are overridden. */
static int yconv_dedupe(struct yconv *y, cJSON *obj, struct yentries *es,
			size_t n_pairs)
{
	size_t i, first = 0;
	char q[80];

	if (es->n > 1)
		qsort(es->v, es->n, sizeof(*es->v), yentry_cmp);
	for (i = 1; i < es->n; i++) {
		if (strcmp(es->v[i].item->string,
			   es->v[first].item->string) != 0) {
			first = i;
			continue;
		}
		if (es->v[i].rank < n_pairs) {
			snprintf(q, sizeof(q), "%.60s%s", es->v[i].item->string,
				 strlen(es->v[i].item->string) > 60 ? "..." :
				 "");
			return manifest_fail_at(y->err, y->file,
						es->v[i].line,
						"duplicate key \"%s\" (first "
						"at line %ld)", q,
						es->v[first].line);
		}
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, es->v[i].item));
	}
	return 0;
}

static int yconv_mapping(struct yconv *y, yaml_node_t *n, int depth,
			 cJSON **out)
{
	size_t n_pairs = (size_t)(n->data.mapping.pairs.top -
				  n->data.mapping.pairs.start);
	struct yentries es = { NULL, 0, 0 };
	yaml_node_pair_t *pr;
	cJSON *obj = cJSON_CreateObject();
	int rc = obj ? 0 : RSIM_ENOMEM;

	for (pr = n->data.mapping.pairs.start;
	     rc == 0 && pr < n->data.mapping.pairs.top; pr++)
		rc = yconv_pair(y, obj, pr,
				(size_t)(pr - n->data.mapping.pairs.start),
				depth, &es);
	if (rc == 0)
		rc = yconv_merges(y, obj, n, depth, &es);
	if (rc == 0)
		rc = yconv_dedupe(y, obj, &es, n_pairs);
	free(es.v);
	if (rc)
		cJSON_Delete(obj);
	*out = rc ? NULL : obj;
	return rc;
}

/* Converts n into *out, recording line for it. RSIM_ENOMEM is reported
 * here; other errors were reported where they arose. */
static int yconv_node(struct yconv *y, yaml_node_t *n, int depth,
		      long line, cJSON **out)
{
	int rc;

	*out = NULL;
	if (depth > MANIFEST_DEPTH_MAX)
		return manifest_fail_at(y->err, y->file, line,
					"nested deeper than %d levels (a "
					"recursive alias?)",
					MANIFEST_DEPTH_MAX);
	if (++y->nodes > MANIFEST_NODES_MAX)
		return manifest_fail_at(y->err, y->file, line,
					"more than %d values (an alias "
					"counts at each use)",
					MANIFEST_NODES_MAX);
	if (n->type == YAML_SCALAR_NODE)
		rc = yconv_scalar(y, n, out);
	else if (n->type == YAML_SEQUENCE_NODE)
		rc = yconv_sequence(y, n, depth, out);
	else if (n->type == YAML_MAPPING_NODE)
		rc = yconv_mapping(y, n, depth, out);
	else
		rc = (*out = cJSON_CreateNull()) ? 0 : RSIM_ENOMEM;
	if (rc == 0 && manifest_add_line(y->m, *out, line) != 0) {
		cJSON_Delete(*out);
		*out = NULL;
		rc = RSIM_ENOMEM;
	}
	if (rc == RSIM_ENOMEM)
		manifest_nomem(y->err, y->file);
	return rc;
}

/* Drops the members whose value is null, at every level. */
static void manifest_drop_nulls(cJSON *v)
{
	cJSON *ch = v->child, *next;

	for (; ch; ch = next) {
		next = ch->next;
		if (cJSON_IsObject(v) && cJSON_IsNull(ch))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, ch));
		else
			manifest_drop_nulls(ch);
	}
}

static const char *json_kind(const cJSON *o)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "kind");

	return cJSON_IsString(k) ? k->valuestring : NULL;
}

/* "List", or kind + "List" (DeploymentList). */
static int is_list_kind(const char *k, const char *kind)
{
	size_t n = strlen(kind);

	return strcmp(k, "List") == 0 ||
	       (strncmp(k, kind, n) == 0 && strcmp(k + n, "List") == 0);
}

/* root itself, or the first item of kind of a List root; NULL if none. */
static const cJSON *manifest_find(const cJSON *root, const char *kind)
{
	const char *k = cJSON_IsObject(root) ? json_kind(root) : NULL;
	const cJSON *it;

	if (!k)
		return NULL;
	if (strcmp(k, kind) == 0)
		return root;
	if (!is_list_kind(k, kind))
		return NULL;
	it = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (!cJSON_IsArray(it))
		return NULL;
	for (it = it->child; it; it = it->next) {
		k = cJSON_IsObject(it) ? json_kind(it) : NULL;
		if (k && strcmp(k, kind) == 0)
			return it;
	}
	return NULL;
}

/* The kinds of the documents passed over, for the message. */
struct kinds_seen {
	char text[MANIFEST_KINDS_MAX];
	size_t n;
};

static void kinds_note(struct kinds_seen *ks, const char *k)
{
	size_t len = strlen(ks->text);

	if (len + 48 >= sizeof(ks->text)) {
		if (!strstr(ks->text, ", ..."))
			snprintf(ks->text + len, sizeof(ks->text) - len,
				 ", ...");
		return;
	}
	snprintf(ks->text + len, sizeof(ks->text) - len, "%s%.40s",
		 ks->n ? ", " : "", k ? k : "(no kind)");
	ks->n++;
}

static int manifest_fail_none(const struct kinds_seen *ks, const char *file,
			      const char *kind, struct rsim_error *err)
{
	return manifest_fail_at(err, file, 0,
				"expected a document of kind %s, got %s",
				kind, ks->n ? ks->text : "no document");
}

/* The kind of a YAML document's root mapping, or NULL. */
static const char *ydoc_kind(yaml_document_t *doc, const yaml_node_t *root)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;

	if (root->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(doc, pr->key);
		v = yaml_document_get_node(doc, pr->value);
		if (k && v && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, "kind") == 0)
			return v->type == YAML_SCALAR_NODE ?
			       (const char *)v->data.scalar.value : NULL;
	}
	return NULL;
}

/* One document: converted when it may hold the object; m->object is set
 * when it does. */
static int manifest_try_doc(struct manifest *m, yaml_document_t *doc,
			    const char *file, const char *kind,
			    struct kinds_seen *ks, struct rsim_error *err)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	const char *k = ydoc_kind(doc, root);
	struct yconv y = { doc, m, file, err, 0 };
	cJSON *tree;
	int rc;

	kinds_note(ks, k);
	if (!k || (strcmp(k, kind) != 0 && !is_list_kind(k, kind)))
		return 0;
	m->n_lines = 0;
	rc = yconv_node(&y, root, 0, node_line(root), &tree);
	if (rc)
		return rc;
	manifest_drop_nulls(tree);
	m->object = manifest_find(tree, kind);
	if (m->object)
		m->tree = tree;
	else
		cJSON_Delete(tree);
	return 0;
}

static int manifest_fail_yaml(const yaml_parser_t *p, const char *file,
			      struct rsim_error *err)
{
	const char *problem = p->problem ? p->problem : "unknown error";

	if (p->error == YAML_MEMORY_ERROR)
		return manifest_nomem(err, file);
	if (p->error == YAML_READER_ERROR)
		return manifest_fail_at(err, file, 0,
					"malformed YAML at byte %zu: %s",
					p->problem_offset, problem);
	if (p->context)
		return manifest_fail_at(err, file,
					(long)p->problem_mark.line + 1,
					"malformed YAML at column %zu: %s "
					"(%s at line %zu)",
					p->problem_mark.column + 1, problem,
					p->context, p->context_mark.line + 1);
	return manifest_fail_at(err, file, (long)p->problem_mark.line + 1,
				"malformed YAML at column %zu: %s",
				p->problem_mark.column + 1, problem);
}

/* Loads documents until one holds the object, the stream ends or an
 * error. */
static int manifest_scan(yaml_parser_t *p, struct manifest *m,
			 const char *file, const char *kind,
			 struct rsim_error *err)
{
	struct kinds_seen ks = { "", 0 };
	yaml_document_t doc;
	int rc = 0;

	while (rc == 0 && !m->object) {
		if (!yaml_parser_load(p, &doc))
			return manifest_fail_yaml(p, file, err);
		if (!yaml_document_get_root_node(&doc)) {
			yaml_document_delete(&doc);
			return manifest_fail_none(&ks, file, kind, err);
		}
		rc = manifest_try_doc(m, &doc, file, kind, &ks, err);
		yaml_document_delete(&doc);
	}
	return rc;
}

/* The first collection nested deeper than MANIFEST_DEPTH_MAX in the event
 * stream stops everything at once: libyaml's loader would compose the
 * whole document first, and its scanner takes time quadratic in the
 * depth of flow collections (40,000 levels, 80 KB: seconds). A syntax
 * error ends this pass silently: the loader reports it. */
static int manifest_check_depth(const char *text, size_t len,
				const char *file, struct rsim_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0, end = 0;

	if (!yaml_parser_initialize(&p))
		return manifest_nomem(err, file);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (rc == 0 && !end && yaml_parser_parse(&p, &ev)) {
		if ((ev.type == YAML_SEQUENCE_START_EVENT ||
		     ev.type == YAML_MAPPING_START_EVENT) &&
		    ++depth > MANIFEST_DEPTH_MAX)
			rc = manifest_fail_at(err, file,
					      (long)ev.start_mark.line + 1,
					      "nested deeper than %d levels",
					      MANIFEST_DEPTH_MAX);
		else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			 ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

int manifest_load_yaml(const char *text, size_t len, const char *file,
		       const char *kind, struct manifest **out,
		       struct rsim_error *err)
{
	struct manifest *m;
	yaml_parser_t p;
	int rc = manifest_check_depth(text, len, file, err);

	*out = NULL;
	if (rc)
		return rc;
	m = rsim_calloc(1, sizeof(*m));
	if (!m)
		return manifest_nomem(err, file);
	if (!yaml_parser_initialize(&p)) {
		free(m);
		return manifest_nomem(err, file);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	rc = manifest_scan(&p, m, file, kind, err);
	yaml_parser_delete(&p);
	if (rc) {
		manifest_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int manifest_load_tree(cJSON *root, const char *file, const char *kind,
		       struct manifest **out, struct rsim_error *err)
{
	struct manifest *m = rsim_calloc(1, sizeof(*m));
	struct kinds_seen ks = { "", 0 };

	*out = NULL;
	if (!m) {
		cJSON_Delete(root);
		return manifest_nomem(err, file);
	}
	m->tree = root;
	manifest_drop_nulls(root);
	m->object = manifest_find(root, kind);
	if (!m->object) {
		kinds_note(&ks, cJSON_IsObject(root) ? json_kind(root) : NULL);
		manifest_free(m);
		return manifest_fail_none(&ks, file, kind, err);
	}
	*out = m;
	return 0;
}

const cJSON *manifest_object(const struct manifest *m)
{
	return m->object;
}

/* One step of a path at *p: ".key", "key" (at the start), "[i]" or
 * "[\"key\"]". Returns the child of v named by it (NULL if none, or the
 * step is malformed) and advances *p. */
static const cJSON *path_step(const cJSON *v, const char **p)
{
	char key[256];
	size_t n = 0;
	const char *s = *p;
	char *end;
	long i;

	if (*s == '.')
		s++;
	if (s[0] == '[' && s[1] == '"') {
		for (s += 2; *s && *s != '"' && n + 1 < sizeof(key); s++) {
			if (*s == '\\' && s[1])
				s++;
			key[n++] = *s;
		}
		if (s[0] != '"' || s[1] != ']')
			return NULL;
		s += 2;
	} else if (*s == '[') {
		i = strtol(s + 1, &end, 10);
		if (end == s + 1 || *end != ']' || i < 0 || i > INT32_MAX)
			return NULL;
		*p = end + 1;
		return cJSON_GetArrayItem(v, (int)i);
	} else {
		for (; *s && *s != '.' && *s != '[' && n + 1 < sizeof(key); s++)
			key[n++] = *s;
	}
	key[n] = '\0';
	*p = s;
	return cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, key)
				 : NULL;
}

long manifest_line_at(const struct manifest *m, const char *path)
{
	const cJSON *v = m->object, *ch;
	const char *p = path ? path : "";
	long line = manifest_line(m, v), l;

	while (*p) {
		ch = path_step(v, &p);
		if (!ch)
			break;
		v = ch;
		l = manifest_line(m, v);
		if (l > 0)
			line = l;
	}
	return line;
}

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	cJSON_Delete(m->tree);
	free(m->lines);
	free(m);
}
