/* scenario_quantity.c - Kubernetes resource quantities of a scenario.
 *
 * A quantity is a JSON number or a string <digits>[.<digits>]<suffix> as
 * resource.Quantity writes it: cpu in cores ("1.5", 2) or millicores
 * ("250m"); memory in bytes, optionally with a decimal (k, M, G, T) or a
 * binary (Ki, Mi, Gi, Ti) suffix. Strings convert exactly in integer
 * arithmetic; a value that is not a whole number of the stored unit
 * (1 millicore, 1 byte) is an error rather than rounded. Non-goals: the
 * exponent forms ("1e3") and the P / E suffixes.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "scenario_json.h"

#define QTY_FRAC_DIGITS 9               /* fraction digits kept */
#define QTY_FRAC_SCALE_MAX UINT64_C(1000000000)  /* 10^QTY_FRAC_DIGITS */
#define QTY_TWO_POW_63 9223372036854775808.0

enum qty_status { QTY_OK = 0, QTY_SYNTAX, QTY_NEGATIVE, QTY_FRACTION,
		  QTY_RANGE };

/* A suffix and the stored units (millicores, bytes) one of it is. */
struct qty_suffix {
	const char *name;
	uint64_t unit;
};

/* How one kind of quantity is written and stored. */
struct qty_kind {
	const char *what;                  /* the syntax message */
	const char *negative;              /* ... of a negative value */
	const char *whole;                 /* ... of a fraction of a unit */
	const char *range;                 /* ... of a value >= 2^63 units */
	const struct qty_suffix *suffixes; /* terminated by a NULL name */
	uint64_t per_number;               /* units per JSON number 1 */
};

static const struct qty_suffix cpu_suffixes[] = {
	{ "", 1000 }, { "m", 1 }, { NULL, 0 }
};

static const struct qty_suffix memory_suffixes[] = {
	{ "", 1 },
	{ "k", UINT64_C(1000) }, { "M", UINT64_C(1000000) },
	{ "G", UINT64_C(1000000000) }, { "T", UINT64_C(1000000000000) },
	{ "Ki", UINT64_C(1) << 10 }, { "Mi", UINT64_C(1) << 20 },
	{ "Gi", UINT64_C(1) << 30 }, { "Ti", UINT64_C(1) << 40 },
	{ NULL, 0 }
};

static const struct qty_kind qty_cpu = {
	"a cpu quantity such as \"250m\", \"1.5\" or 2",
	"a non-negative cpu quantity",
	"a whole number of millicores (at most 3 decimals of a core)",
	"a cpu quantity below 2^63 millicores",
	cpu_suffixes, 1000
};

static const struct qty_kind qty_memory = {
	"a memory quantity such as \"128Mi\", \"1G\" or 1000000",
	"a non-negative memory quantity",
	"a whole number of bytes",
	"a memory quantity below 2^63 bytes",
	memory_suffixes, 1
};

/* A number read from a quantity: ip + frac / scale. */
struct qty_number {
	uint64_t ip;
	uint64_t frac;
	uint64_t scale;   /* a power of ten <= QTY_FRAC_SCALE_MAX */
	int fine;         /* non-zero digits beyond QTY_FRAC_DIGITS */
};

static int qty_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* <digits>[.<digits>] at *p, at least one digit. */
static int qty_read_number(const char **p, struct qty_number *n)
{
	const char *s = *p;
	int digits = 0;

	memset(n, 0, sizeof(*n));
	n->scale = 1;
	for (; qty_is_digit(*s); s++, digits++) {
		if (n->ip > (uint64_t)INT64_MAX / 10)
			return QTY_RANGE;
		n->ip = n->ip * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; qty_is_digit(*s); s++, digits++) {
			if (n->scale >= QTY_FRAC_SCALE_MAX) {
				n->fine |= *s != '0';
				continue;
			}
			n->frac = n->frac * 10 + (uint64_t)(*s - '0');
			n->scale *= 10;
		}
	}
	if (digits == 0)
		return QTY_SYNTAX;
	*p = s;
	return QTY_OK;
}

/* n * unit exactly: frac * unit / scale is split as frac * (unit / scale)
 * + frac * (unit % scale) / scale, each term below unit (no overflow). */
static int qty_scale(const struct qty_number *n, uint64_t unit,
		     int64_t *out)
{
	uint64_t q = unit / n->scale, r = unit % n->scale, f;

	if (n->fine || (n->frac * r) % n->scale != 0)
		return QTY_FRACTION;
	if (n->ip > (uint64_t)INT64_MAX / unit)
		return QTY_RANGE;
	f = n->frac * q + n->frac * r / n->scale;
	if (f > (uint64_t)INT64_MAX - n->ip * unit)
		return QTY_RANGE;
	*out = (int64_t)(n->ip * unit + f);
	return QTY_OK;
}

static int qty_parse(const char *s, const struct qty_kind *k, int64_t *out)
{
	const struct qty_suffix *sfx;
	struct qty_number n;
	int neg = (*s == '-'), st;

	s += neg;
	st = qty_read_number(&s, &n);
	if (st != QTY_OK)
		return st;
	for (sfx = k->suffixes; sfx->name; sfx++)
		if (strcmp(s, sfx->name) == 0)
			break;
	if (!sfx->name)
		return QTY_SYNTAX;
	st = qty_scale(&n, sfx->unit, out);
	if (st == QTY_OK && neg && *out != 0)
		return QTY_NEGATIVE;
	return st;
}

/* A JSON number of cores or bytes; a fraction of a unit is tolerated
 * only as the binary rounding of a decimal (1.005 cores is 1005m). */
static int qty_number_value(double d, const struct qty_kind *k,
			    int64_t *out)
{
	double x = d * (double)k->per_number, r;

	if (d < 0.0)
		return QTY_NEGATIVE;
	if (!(x < QTY_TWO_POW_63))
		return QTY_RANGE;
	r = floor(x + 0.5);
	if (fabs(x - r) > 1e-9 * fmax(1.0, x))
		return QTY_FRACTION;
	*out = (int64_t)r;
	return QTY_OK;
}

static int qty_value(struct json_ctx *c, const cJSON *v,
		     const struct qty_kind *k, int64_t *out)
{
	int64_t q = 0;
	int st = QTY_SYNTAX;

	if (cJSON_IsNumber(v))
		st = qty_number_value(v->valuedouble, k, &q);
	else if (cJSON_IsString(v) && v->valuestring)
		st = qty_parse(v->valuestring, k, &q);
	switch (st) {
	case QTY_OK:
		*out = q;
		return 0;
	case QTY_NEGATIVE:
		return json_fail_got(c, k->negative, v);
	case QTY_FRACTION:
		return json_fail_got(c, k->whole, v);
	case QTY_RANGE:
		return json_fail_got(c, k->range, v);
	default:
		return json_fail_got(c, k->what, v);
	}
}

static int qty_read(struct json_ctx *c, const cJSON *obj, const char *key,
		    const struct qty_kind *k, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = qty_value(c, v, k, out);
	json_path_pop(c, mark);
	return rc;
}

int scenario_read_cpu(struct json_ctx *c, const cJSON *obj, const char *key,
		      int64_t *out_milli)
{
	return qty_read(c, obj, key, &qty_cpu, out_milli);
}

int scenario_read_memory(struct json_ctx *c, const cJSON *obj,
			 const char *key, int64_t *out_bytes)
{
	return qty_read(c, obj, key, &qty_memory, out_bytes);
}
