/* scenario_json.c - paths, messages and typed readers of the loader.
 *
 * Everything an error line shows is built here: the dotted path, the
 * offending value as compact JSON cut to JSON_GOT_MAX characters, and the
 * "did you mean" hint (Levenshtein distance <= 2 ignoring case, or the
 * word being a prefix of a known key). Output is bounded: showing a huge
 * or deeply nested value stops once the buffer is full.
 */
#include "scenario_json.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"

#define JSON_HINT_LEN 64       /* longer words get no hint */
#define JSON_MSG_MAX 512       /* == sizeof(struct rsim_error).msg */

/* A bounded output buffer: writes past cap - 1 bytes are dropped and
 * flagged in over; buf is always NUL-terminated. */
struct json_out {
	char *buf;
	size_t cap;
	size_t len;
	int over;
};

static void out_init(struct json_out *o, char *buf, size_t cap, size_t len)
{
	o->buf = buf;
	o->cap = cap;
	o->len = len;
	o->over = 0;
	buf[len] = '\0';
}

static void out_putc(struct json_out *o, char ch)
{
	if (o->len + 1 < o->cap) {
		o->buf[o->len++] = ch;
		o->buf[o->len] = '\0';
	} else {
		o->over = 1;
	}
}

static void out_puts(struct json_out *o, const char *s)
{
	for (; *s && !o->over; s++)
		out_putc(o, *s);
}

/* s as a JSON string literal (control characters escaped). */
static void out_string(struct json_out *o, const char *s)
{
	static const char esc_from[] = "\"\\\n\r\t\b\f";
	static const char esc_to[] = "\"\\nrtbf";
	const char *e;
	char hex[8];

	out_putc(o, '"');
	for (; s && *s && !o->over; s++) {
		e = strchr(esc_from, *s);
		if (e) {
			out_putc(o, '\\');
			out_putc(o, esc_to[e - esc_from]);
		} else if ((unsigned char)*s < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", (unsigned)*s);
			out_puts(o, hex);
		} else {
			out_putc(o, *s);
		}
	}
	out_putc(o, '"');
}

/* A number as cJSON prints it: integers plainly, others with the
 * shortest of %.15g / %.17g that reads back exactly. */
static void json_number_text(double d, char *buf, size_t n)
{
	if (isnan(d))
		snprintf(buf, n, "nan");
	else if (isinf(d))
		snprintf(buf, n, "%s", d < 0 ? "-inf" : "inf");
	else if (d == floor(d) && fabs(d) < 1e15)
		snprintf(buf, n, "%.0f", d);
	else {
		snprintf(buf, n, "%.15g", d);
		if (strtod(buf, NULL) != d)
			snprintf(buf, n, "%.17g", d);
	}
}

static void out_value(struct json_out *o, const cJSON *v);

static void out_container(struct json_out *o, const cJSON *v)
{
	int is_obj = cJSON_IsObject(v);
	const cJSON *ch;

	out_putc(o, is_obj ? '{' : '[');
	for (ch = v->child; ch && !o->over; ch = ch->next) {
		if (ch != v->child)
			out_putc(o, ',');
		if (is_obj) {
			out_string(o, ch->string);
			out_putc(o, ':');
		}
		out_value(o, ch);
	}
	out_putc(o, is_obj ? '}' : ']');
}

/* Recursion is bounded: every level writes a byte first and nothing is
 * written once the buffer is full. */
static void out_value(struct json_out *o, const cJSON *v)
{
	char num[40];

	if (o->over)
		return;
	if (cJSON_IsNull(v)) {
		out_puts(o, "null");
	} else if (cJSON_IsBool(v)) {
		out_puts(o, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v)) {
		json_number_text(v->valuedouble, num, sizeof(num));
		out_puts(o, num);
	} else if (cJSON_IsString(v)) {
		out_string(o, v->valuestring);
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		out_container(o, v);
	} else {
		out_puts(o, "?");
	}
}

/* Cuts tmp (written with cap JSON_GOT_MAX + 2) to JSON_GOT_MAX characters
 * plus "..." when longer, without splitting a UTF-8 sequence. */
static void json_finish_shown(const struct json_out *o, char *buf)
{
	size_t len = o->len;

	if (len > JSON_GOT_MAX || o->over) {
		len = JSON_GOT_MAX;
		while (len > 0 && ((unsigned char)o->buf[len] & 0xC0) == 0x80)
			len--;
		snprintf(buf, JSON_TEXT_MAX, "%.*s...", (int)len, o->buf);
	} else {
		snprintf(buf, JSON_TEXT_MAX, "%s", o->buf);
	}
}

void json_show(const cJSON *v, char *buf)
{
	char tmp[JSON_GOT_MAX + 2];
	struct json_out o;

	out_init(&o, tmp, sizeof(tmp), 0);
	out_value(&o, v);
	json_finish_shown(&o, buf);
}

void json_quote(const char *s, char *buf)
{
	char tmp[JSON_GOT_MAX + 2];
	struct json_out o;

	out_init(&o, tmp, sizeof(tmp), 0);
	out_string(&o, s);
	json_finish_shown(&o, buf);
}

void json_ctx_init(struct json_ctx *c, const char *file,
		   struct rsim_error *err)
{
	c->file = file ? file : "";
	c->err = err;
	c->path[0] = '\0';
	c->len = 0;
}

static int json_key_needs_brackets(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;

	if (!*p)
		return 1;
	for (; *p; p++)
		if (*p < 0x20 || strchr(".[]\"\\", *p))
			return 1;
	return 0;
}

size_t json_path_push_key(struct json_ctx *c, const char *key)
{
	size_t mark = c->len;
	struct json_out o;

	out_init(&o, c->path, sizeof(c->path), c->len);
	if (!key)
		key = "";
	if (json_key_needs_brackets(key)) {
		out_putc(&o, '[');
		out_string(&o, key);
		out_putc(&o, ']');
	} else {
		if (mark > 0)
			out_putc(&o, '.');
		out_puts(&o, key);
	}
	c->len = o.len;
	return mark;
}

size_t json_path_push_index(struct json_ctx *c, size_t i)
{
	size_t mark = c->len;
	char idx[32];
	struct json_out o;

	snprintf(idx, sizeof(idx), "[%zu]", i);
	out_init(&o, c->path, sizeof(c->path), c->len);
	out_puts(&o, idx);
	c->len = o.len;
	return mark;
}

void json_path_pop(struct json_ctx *c, size_t mark)
{
	assert(mark <= c->len);
	c->len = mark;
	c->path[mark] = '\0';
}

int json_fail(struct json_ctx *c, const char *fmt, ...)
{
	char msg[JSON_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return rsim_error_set(c->err, RSIM_EINPUT, c->file, c->path, "%s", msg);
}

int json_fail_got(struct json_ctx *c, const char *what, const cJSON *v)
{
	char shown[JSON_TEXT_MAX];

	json_show(v, shown);
	return json_fail(c, "expected %s, got %s", what, shown);
}

int json_fail_nomem(struct json_ctx *c)
{
	return rsim_error_set(c->err, RSIM_ENOMEM, c->file, c->path,
			      "out of memory");
}

static size_t json_min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

static int json_lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? ch - 'A' + 'a' : ch;
}

/* Levenshtein distance ignoring ASCII case; SIZE_MAX for long words. */
static size_t json_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[JSON_HINT_LEN + 1];
	size_t i, j, diag, up;

	if (la > JSON_HINT_LEN || lb > JSON_HINT_LEN)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = json_min3(up + 1, row[j - 1] + 1,
					   diag + (json_lower(a[i - 1]) !=
						   json_lower(b[j - 1])));
			diag = up;
		}
	}
	return row[lb];
}

/* 1 when p is a prefix of s, ignoring ASCII case. */
static int json_is_prefix(const char *p, const char *s)
{
	for (; *p; p++, s++)
		if (!*s || json_lower(*p) != json_lower(*s))
			return 0;
	return 1;
}

const char *json_suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = 3, d, wl = strlen(word), i;

	for (i = 0; known[i]; i++) {
		d = json_distance(word, known[i]);
		/* d < wl: "x" is not a typo of "at" */
		if (d < best_d && d < wl) {
			best = known[i];
			best_d = d;
		}
	}
	if (best || wl < 3)
		return best;
	for (i = 0; known[i]; i++)
		if (json_is_prefix(word, known[i]))
			return known[i];
	return NULL;
}

static size_t json_key_index(const char *key, const char *const *known)
{
	size_t i;

	for (i = 0; known[i]; i++)
		if (strcmp(key, known[i]) == 0)
			break;
	return i;
}

static int json_fail_unknown_key(struct json_ctx *c, const char *key,
				 const char *const *known)
{
	char q[JSON_TEXT_MAX];
	const char *hint = json_suggest(key, known);

	json_quote(key, q);
	if (hint)
		return json_fail(c, "unknown key %s (did you mean \"%s\"?)", q,
				 hint);
	return json_fail(c, "unknown key %s", q);
}

int json_check_keys(struct json_ctx *c, const cJSON *obj,
		    const char *const *known)
{
	uint64_t seen = 0;
	const cJSON *ch;
	size_t i;
	char q[JSON_TEXT_MAX];

	for (ch = obj->child; ch; ch = ch->next) {
		i = json_key_index(ch->string, known);
		assert(i < 64);
		if (!known[i])
			return json_fail_unknown_key(c, ch->string, known);
		if (seen & (UINT64_C(1) << i)) {
			json_quote(ch->string, q);
			return json_fail(c, "duplicate key %s", q);
		}
		seen |= UINT64_C(1) << i;
	}
	return 0;
}

int json_fail_enum(struct json_ctx *c, const char *what, const char *value,
		   const char *const *known)
{
	char q[JSON_TEXT_MAX], list[256];
	const char *hint = json_suggest(value, known);
	struct json_out o;
	size_t i;

	json_quote(value, q);
	if (hint)
		return json_fail(c, "unknown %s %s (did you mean \"%s\"?)",
				 what, q, hint);
	out_init(&o, list, sizeof(list), 0);
	for (i = 0; known[i]; i++) {
		if (i > 0)
			out_puts(&o, ", ");
		out_puts(&o, known[i]);
	}
	return json_fail(c, "unknown %s %s (known: %s)", what, q, list);
}

int json_require(struct json_ctx *c, const cJSON *obj, const char *key,
		 const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (out)
		*out = v;
	if (!v)
		return json_fail(c, "missing required key \"%s\"", key);
	return 0;
}

int json_expect_object(struct json_ctx *c, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return json_fail_got(c, "an object", v);
	return 0;
}

int json_int_value(struct json_ctx *c, const cJSON *v, int32_t min,
		   int32_t *out)
{
	char what[64];
	double d;

	if (min == 0)
		snprintf(what, sizeof(what), "a non-negative integer");
	else if (min == 1)
		snprintf(what, sizeof(what), "a positive integer");
	else if (min == INT32_MIN)
		snprintf(what, sizeof(what), "an integer");
	else
		snprintf(what, sizeof(what), "an integer >= %ld", (long)min);
	if (!cJSON_IsNumber(v))
		return json_fail_got(c, what, v);
	d = v->valuedouble;
	if (!(d == floor(d)) || (d < (double)min && min > INT32_MIN))
		return json_fail_got(c, what, v);
	if (d < (double)INT32_MIN)
		return json_fail_got(c, "an integer >= -2147483648", v);
	if (d > (double)INT32_MAX)
		return json_fail_got(c, "an integer <= 2147483647", v);
	*out = (int32_t)d;
	return 0;
}

int json_read_int(struct json_ctx *c, const cJSON *obj, const char *key,
		  int32_t min, int32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = json_int_value(c, v, min, out);
	json_path_pop(c, mark);
	return rc;
}

int json_read_replicas(struct json_ctx *c, const cJSON *obj,
		       const char *key, int32_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char what[64];
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	snprintf(what, sizeof(what), "at most %d replicas (the simulator's "
		 "limit)", DEPLOY_REPLICAS_MAX);
	if (cJSON_IsNumber(v) && v->valuedouble > DEPLOY_REPLICAS_MAX &&
	    v->valuedouble == floor(v->valuedouble))
		rc = json_fail_got(c, what, v);
	else
		rc = json_int_value(c, v, 0, out);
	json_path_pop(c, mark);
	return rc;
}

int json_read_seconds(struct json_ctx *c, const cJSON *obj,
		      const char *key, int32_t min, sim_time_t *out_ns)
{
	int32_t s = 0;
	int rc;

	if (!cJSON_GetObjectItemCaseSensitive(obj, key))
		return 0;
	rc = json_read_int(c, obj, key, min, &s);
	if (rc == 0)
		*out_ns = (sim_time_t)s * SIM_NS_PER_S;
	return rc;
}

int json_read_bool(struct json_ctx *c, const cJSON *obj, const char *key,
		   int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	if (cJSON_IsBool(v))
		*out = cJSON_IsTrue(v) ? 1 : 0;
	else
		rc = json_fail_got(c, "true or false", v);
	json_path_pop(c, mark);
	return rc;
}

int json_read_string(struct json_ctx *c, const cJSON *obj, const char *key,
		     const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	if (cJSON_IsString(v) && v->valuestring)
		*out = v->valuestring;
	else
		rc = json_fail_got(c, "a string", v);
	json_path_pop(c, mark);
	return rc;
}

/* Line and column (1-based; columns count UTF-8 characters, a leading
 * byte order mark is not one) of at. */
static void json_position(const char *text, const char *at, size_t *line,
			  size_t *col)
{
	const char *p = text;

	*line = 1;
	*col = 1;
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0 && at >= text + 3)
		p = text + 3;
	for (; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)*p & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* What cJSON skips as whitespace: every byte from 1 to 32. */
static int json_is_space(char ch)
{
	return ch != '\0' && (unsigned char)ch <= 32;
}

/* Walks text[0..n) as JSON brackets, skipping strings: pushes each open
 * '{' or '[' on stack (when not NULL) and returns the offset of the one
 * that would be level cap + 1, or n when none is.  *depth and *in_str
 * tell where the walk ended. */
static size_t json_scan(const char *text, size_t n, char *stack, size_t cap,
			size_t *depth, int *in_str)
{
	size_t i;

	*depth = 0;
	*in_str = 0;
	for (i = 0; i < n; i++) {
		if (*in_str) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				*in_str = 0;
		} else if (text[i] == '"') {
			*in_str = 1;
		} else if (text[i] == '{' || text[i] == '[') {
			if (*depth == cap)
				return i;
			if (stack)
				stack[*depth] = text[i];
			++*depth;
		} else if ((text[i] == '}' || text[i] == ']') && *depth > 0) {
			--*depth;
		}
	}
	return n;
}

/* The innermost container open at text + n: '{', '[', or 0 (none, or
 * nested deeper than CJSON_NESTING_LIMIT). */
static char json_open_container(const char *text, size_t n)
{
	char stack[CJSON_NESTING_LIMIT + 1];
	size_t depth;
	int in_str;

	if (json_scan(text, n, stack, sizeof(stack), &depth, &in_str) < n)
		return 0;
	return (depth > 0 && !in_str) ? stack[depth - 1] : 0;
}

/* cJSON reports a bad object key one byte late (parse_string steps over
 * the character that should have been '"' before failing): when the byte
 * before at sits where a key must start -- after '{' or ',' inside an
 * object -- the error is that byte. */
static const char *json_fix_key_error(const char *text, const char *at)
{
	const char *q = at - 1, *p;

	if (at <= text || json_is_space(*q) || *q == '"')
		return at;
	for (p = q; p > text && json_is_space(p[-1]); p--)
		;
	if (p == text || (p[-1] != '{' && p[-1] != ','))
		return at;
	if (json_open_container(text, (size_t)(q - text)) != '{')
		return at;
	return q;
}

/* The '{' or '[' that opens level JSON_DEPTH_MAX + 1 in text[0..n), or
 * NULL (strings skipped; exact for the valid prefix cJSON accepted). */
static const char *json_too_deep(const char *text, size_t n)
{
	size_t depth, at;
	int in_str;

	at = json_scan(text, n, NULL, JSON_DEPTH_MAX, &depth, &in_str);
	return at < n ? text + at : NULL;
}

/* After the document only JSON's whitespace may follow (cJSON would also
 * skip other control bytes): the first other byte, or NULL. */
static const char *json_trailing(const char *end, const char *stop)
{
	for (; end < stop; end++)
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
			return end;
	return NULL;
}

/* cJSON on text[0..len): *out, or NULL and *end at the error. */
static void json_parse_raw(const char *text, size_t len, cJSON **out,
			   const char **end)
{
	*end = memchr(text, '\0', len);   /* a NUL byte is an error there */
	if (*end)
		return;
	*out = cJSON_ParseWithLengthOpts(text, len + 1, end, 0);
	if (*out && (*end = json_trailing(*end, text + len)) != NULL) {
		cJSON_Delete(*out);
		*out = NULL;
	} else if (!*out && *end && *end >= text && *end <= text + len) {
		*end = json_fix_key_error(text, *end);
	}
	if (!*out && (!*end || *end < text || *end > text + len))
		*end = text + len;
}

int json_parse(struct json_ctx *c, const char *text, size_t len,
	       cJSON **out)
{
	const char *end = NULL, *deep;
	size_t line, col;
	unsigned long failures = rsim_alloc_failures();

	*out = NULL;
	json_parse_raw(text, len, out, &end);
	if (!*out && rsim_alloc_failures() != failures)  /* cJSON ran out */
		return json_fail_nomem(c);
	deep = json_too_deep(text, *out ? len : (size_t)(end - text));
	if (deep) {
		cJSON_Delete(*out);
		*out = NULL;
		json_position(text, deep, &line, &col);
		return json_fail(c, "nested deeper than %d levels at line %zu, "
				 "column %zu", JSON_DEPTH_MAX, line, col);
	}
	if (*out)
		return 0;
	json_position(text, end, &line, &col);
	return json_fail(c, "malformed JSON at line %zu, column %zu", line,
			 col);
}

int json_read_number(struct json_ctx *c, const cJSON *obj, const char *key,
		     double min, double max, const char *what, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc = 0;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble >= min && v->valuedouble <= max)
		*out = v->valuedouble;
	else
		rc = json_fail_got(c, what, v);
	json_path_pop(c, mark);
	return rc;
}

int json_read_probability(struct json_ctx *c, const cJSON *obj,
			  const char *key, double *out)
{
	return json_read_number(c, obj, key, 0.0, 1.0,
				"a number from 0 to 1", out);
}

int json_read_enum(struct json_ctx *c, const cJSON *obj, const char *key,
		   const char *what, const char *const *names, int *out)
{
	const char *s = NULL;
	size_t mark, i;
	int rc = json_read_string(c, obj, key, &s);

	if (rc || !s)
		return rc;
	for (i = 0; names[i]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	mark = json_path_push_key(c, key);
	rc = json_fail_enum(c, what, s, names);
	json_path_pop(c, mark);
	return rc;
}

/* A time and a position in the file, for a stable sort. */
struct json_sort_key {
	sim_time_t at_ns;
	size_t index;
};

static int json_sort_key_cmp(const void *a, const void *b)
{
	const struct json_sort_key *x = a, *y = b;

	if (x->at_ns != y->at_ns)
		return x->at_ns < y->at_ns ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int json_sort_by_time(struct json_ctx *c, void *base, size_t n, size_t size,
		      size_t time_offset)
{
	struct json_sort_key *keys;
	unsigned char *copy, *b = base;
	size_t i;

	if (n < 2)
		return 0;
	keys = rsim_malloc(n * sizeof(*keys));
	copy = rsim_malloc(n * size);
	if (!keys || !copy) {
		free(keys);
		free(copy);
		return json_fail_nomem(c);
	}
	for (i = 0; i < n; i++) {
		memcpy(&keys[i].at_ns, b + i * size + time_offset,
		       sizeof(keys[i].at_ns));
		keys[i].index = i;
	}
	qsort(keys, n, sizeof(*keys), json_sort_key_cmp);
	memcpy(copy, b, n * size);
	for (i = 0; i < n; i++)
		memcpy(b + i * size, copy + keys[i].index * size, size);
	free(keys);
	free(copy);
	return 0;
}
