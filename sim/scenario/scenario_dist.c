/* scenario_dist.c - durations and distributions of a scenario.
 *
 * Durations follow Go's time.ParseDuration without a sign: one or more
 * <number><unit> groups (ns, us, µs, ms, s, m, h), or one bare number of
 * seconds. Strings are converted exactly in integer arithmetic, truncating
 * below 1 ns as Go does; JSON numbers of seconds round to the nearest ns
 * (sim_s_to_ns).
 * A distribution is a duration (constant) or {"dist": NAME, ...} with the
 * parameters of dist.h; lognormal mean+sd is converted to median+sigma.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "scenario.h"
#include "scenario_json.h"

#define DUR_FRAC_SCALE_MAX UINT64_C(100000000000000000)  /* 1e17 */
#define DUR_TWO_POW_63 9223372036854775808.0

enum dur_status { DUR_OK = 0, DUR_SYNTAX, DUR_NEGATIVE, DUR_RANGE };

/* A unit is mult * 10^exp10 nanoseconds. */
struct dur_unit {
	const char *name;
	uint64_t mult;
	int exp10;
};

static const struct dur_unit dur_units[] = {
	{ "ns", 1, 0 },
	{ "us", 1, 3 },
	{ "\xc2\xb5s", 1, 3 },  /* U+00B5 micro sign */
	{ "\xce\xbcs", 1, 3 },  /* U+03BC Greek mu */
	{ "ms", 1, 6 },
	{ "s", 1, 9 },
	{ "m", 6, 10 },
	{ "h", 36, 11 },
};

static const uint64_t dur_pow10[] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000),
	UINT64_C(10000), UINT64_C(100000), UINT64_C(1000000),
	UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
	UINT64_C(10000000000), UINT64_C(100000000000),
};

/* A number read from a duration: ip + frac / scale. */
struct dur_number {
	uint64_t ip;
	uint64_t frac;
	uint64_t scale;   /* a power of ten <= DUR_FRAC_SCALE_MAX */
};

static int dur_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Reads <digits>[.<digits>] (at least one digit) at *p. Fraction digits
 * beyond 17 are dropped: they are below 1 ns for every unit. */
static int dur_read_number(const char **p, struct dur_number *n)
{
	const char *s = *p;
	int digits = 0;

	n->ip = 0;
	n->frac = 0;
	n->scale = 1;
	for (; dur_is_digit(*s); s++, digits++) {
		if (n->ip > (uint64_t)INT64_MAX / 10)
			return DUR_RANGE;
		n->ip = n->ip * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; dur_is_digit(*s); s++, digits++) {
			if (n->scale >= DUR_FRAC_SCALE_MAX)
				continue;
			n->frac = n->frac * 10 + (uint64_t)(*s - '0');
			n->scale *= 10;
		}
	}
	if (digits == 0)
		return DUR_SYNTAX;
	*p = s;
	return DUR_OK;
}

/* The longest unit name at s, or NULL. */
static const struct dur_unit *dur_unit_at(const char *s)
{
	const struct dur_unit *best = NULL;
	size_t i, len;

	for (i = 0; i < sizeof(dur_units) / sizeof(dur_units[0]); i++) {
		len = strlen(dur_units[i].name);
		if (strncmp(s, dur_units[i].name, len) == 0 &&
		    (!best || len > strlen(best->name)))
			best = &dur_units[i];
	}
	return best;
}

/* n units in ns, exactly (truncated below 1 ns). */
static int dur_scale(const struct dur_number *n, const struct dur_unit *u,
		     uint64_t *out)
{
	uint64_t p10 = dur_pow10[u->exp10], unit = u->mult * p10, f;

	if (n->ip > (uint64_t)INT64_MAX / unit)
		return DUR_RANGE;
	if (n->scale <= p10)
		f = n->frac * u->mult * (p10 / n->scale);
	else  /* frac < 1e17 and mult <= 36: no overflow */
		f = n->frac * u->mult / (n->scale / p10);
	if (f > (uint64_t)INT64_MAX - n->ip * unit)
		return DUR_RANGE;
	*out = n->ip * unit + f;
	return DUR_OK;
}

/* Parses an unsigned duration string into *out. */
static int dur_parse_unsigned(const char *s, uint64_t *out)
{
	static const struct dur_unit seconds = { "", 1, 9 };
	const struct dur_unit *u;
	struct dur_number n;
	uint64_t total = 0, g;
	int first = 1, st;

	if (*s == '\0')
		return DUR_SYNTAX;
	while (*s) {
		st = dur_read_number(&s, &n);
		if (st != DUR_OK)
			return st;
		u = dur_unit_at(s);
		if (!u && !(first && *s == '\0'))
			return DUR_SYNTAX;
		if (!u)
			u = &seconds;  /* a bare number: seconds */
		s += strlen(u->name);
		st = dur_scale(&n, u, &g);
		if (st != DUR_OK)
			return st;
		if (g > (uint64_t)INT64_MAX - total)
			return DUR_RANGE;
		total += g;
		first = 0;
	}
	*out = total;
	return DUR_OK;
}

static int dur_parse(const char *s, sim_time_t *out)
{
	uint64_t v = 0;
	int neg, st;

	if (!s)
		return DUR_SYNTAX;
	neg = (*s == '-');
	st = dur_parse_unsigned(s + neg, &v);
	if (st == DUR_OK && neg && v > 0)
		return DUR_NEGATIVE;
	if (st == DUR_OK)
		*out = (sim_time_t)v;
	return st;
}

int scenario_parse_duration(const char *s, sim_time_t *out_ns)
{
	sim_time_t v = 0;

	if (dur_parse(s, &v) != DUR_OK)
		return -1;
	*out_ns = v;
	return 0;
}

/* A JSON number of seconds, rounded by the program's one rule
 * (sim_s_to_ns); what that helper would saturate is an error here. */
static int dur_seconds(double s, sim_time_t *out)
{
	double ns = s * 1e9;

	if (isnan(ns))
		return DUR_SYNTAX;
	if (ns < 0.0)
		return DUR_NEGATIVE;
	if (ns >= DUR_TWO_POW_63)
		return DUR_RANGE;
	*out = sim_s_to_ns(s);
	return DUR_OK;
}

int json_duration_value(struct json_ctx *c, const cJSON *v, int positive,
			sim_time_t *out)
{
	sim_time_t ns = 0;
	int st;

	if (cJSON_IsNumber(v))
		st = dur_seconds(v->valuedouble, &ns);
	else if (cJSON_IsString(v))
		st = dur_parse(v->valuestring, &ns);
	else
		return json_fail_got(c, "a duration such as \"10s\" or a "
				     "number of seconds", v);
	if (st == DUR_NEGATIVE)
		return json_fail_got(c, "a non-negative duration", v);
	if (st == DUR_RANGE)
		return json_fail_got(c, "a duration below 2562047h", v);
	if (st != DUR_OK)
		return json_fail_got(c, "a duration with a unit (ns, us, ms, "
				     "s, m, h) such as \"1m30s\"", v);
	if (positive && ns == 0)
		return json_fail_got(c, "a positive duration", v);
	*out = ns;
	return 0;
}

int json_read_duration(struct json_ctx *c, const cJSON *obj,
		       const char *key, int positive, sim_time_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	rc = json_duration_value(c, v, positive, out);
	json_path_pop(c, mark);
	return rc;
}

/* A required duration parameter of a distribution. */
static int dist_duration(struct json_ctx *c, const cJSON *obj,
			 const char *key, int positive, sim_time_t *out)
{
	int rc = json_require(c, obj, key, NULL);

	return rc ? rc : json_read_duration(c, obj, key, positive, out);
}

/* A required plain positive number (sigma, shape). */
static int dist_positive(struct json_ctx *c, const cJSON *obj,
			 const char *key, double *out)
{
	const cJSON *v;
	size_t mark;
	int rc = json_require(c, obj, key, &v);

	if (rc)
		return rc;
	mark = json_path_push_key(c, key);
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble > 0.0)
		*out = v->valuedouble;
	else
		rc = json_fail_got(c, "a positive number", v);
	json_path_pop(c, mark);
	return rc;
}

static int dist_read_constant(struct json_ctx *c, const cJSON *o,
			      struct dist *d)
{
	return dist_duration(c, o, "value", 0, &d->a_ns);
}

static int dist_read_uniform(struct json_ctx *c, const cJSON *o,
			     struct dist *d)
{
	char lo[JSON_TEXT_MAX], hi[JSON_TEXT_MAX];
	int rc = dist_duration(c, o, "min", 0, &d->a_ns);

	if (rc == 0)
		rc = dist_duration(c, o, "max", 0, &d->b_ns);
	if (rc == 0 && d->a_ns > d->b_ns) {
		json_show(cJSON_GetObjectItemCaseSensitive(o, "min"), lo);
		json_show(cJSON_GetObjectItemCaseSensitive(o, "max"), hi);
		rc = json_fail(c, "min %s is greater than max %s", lo, hi);
	}
	return rc;
}

static int dist_read_exponential(struct json_ctx *c, const cJSON *o,
				 struct dist *d)
{
	return dist_duration(c, o, "mean", 1, &d->a_ns);
}

static int dist_read_normal(struct json_ctx *c, const cJSON *o,
			    struct dist *d)
{
	int rc = dist_duration(c, o, "mean", 0, &d->a_ns);

	return rc ? rc : dist_duration(c, o, "sd", 0, &d->b_ns);
}

/* sigma^2 = ln(1 + sd^2/mean^2), median = mean / sqrt(1 + sd^2/mean^2);
 * sd = 0 is the constant mean. */
static void dist_lognormal_from_moments(sim_time_t mean_ns,
					sim_time_t sd_ns, struct dist *d)
{
	double r = (double)sd_ns / (double)mean_ns;
	double median = (double)mean_ns / sqrt(1.0 + r * r);

	if (sd_ns == 0) {
		*d = dist_constant(mean_ns);
		return;
	}
	d->kind = DIST_LOGNORMAL;
	d->shape = sqrt(log1p(r * r));
	d->a_ns = median >= 1.0 ? (sim_time_t)llround(median) : 1;
}

static int dist_has(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

static int dist_read_lognormal(struct json_ctx *c, const cJSON *o,
			       struct dist *d)
{
	int by_median = dist_has(o, "median") || dist_has(o, "sigma");
	int by_mean = dist_has(o, "mean") || dist_has(o, "sd");
	sim_time_t mean = 0, sd = 0;
	int rc;

	if (by_median && by_mean)
		return json_fail(c, "give either median and sigma or mean "
				 "and sd, not a mix");
	if (!by_mean) {
		rc = dist_duration(c, o, "median", 1, &d->a_ns);
		return rc ? rc : dist_positive(c, o, "sigma", &d->shape);
	}
	rc = dist_duration(c, o, "mean", 1, &mean);
	if (rc == 0)
		rc = dist_duration(c, o, "sd", 0, &sd);
	if (rc == 0)
		dist_lognormal_from_moments(mean, sd, d);
	return rc;
}

static int dist_read_gamma(struct json_ctx *c, const cJSON *o,
			   struct dist *d)
{
	int rc = dist_duration(c, o, "mean", 1, &d->a_ns);

	return rc ? rc : dist_positive(c, o, "shape", &d->shape);
}

static int dist_read_weibull(struct json_ctx *c, const cJSON *o,
			     struct dist *d)
{
	int rc = dist_duration(c, o, "scale", 1, &d->a_ns);

	return rc ? rc : dist_positive(c, o, "shape", &d->shape);
}

static int dist_read_samples(struct json_ctx *c, const cJSON *arr,
			     struct dist *d)
{
	const cJSON *it;
	sim_time_t *s;
	size_t n = 0, i = 0, mark;
	int rc = 0;

	for (it = arr->child; it; it = it->next)
		n++;
	if (n > SIZE_MAX / sizeof(*s))
		return json_fail_nomem(c);
	s = rsim_malloc(n * sizeof(*s));
	if (!s)
		return json_fail_nomem(c);
	for (it = arr->child; it && rc == 0; it = it->next, i++) {
		mark = json_path_push_index(c, i);
		rc = json_duration_value(c, it, 0, &s[i]);
		json_path_pop(c, mark);
	}
	if (rc) {
		free(s);
		return rc;
	}
	d->samples = s;
	d->n_samples = n;
	return 0;
}

static int dist_read_empirical(struct json_ctx *c, const cJSON *o,
			       struct dist *d)
{
	const cJSON *arr;
	size_t mark;
	int rc = json_require(c, o, "samples", &arr);

	if (rc)
		return rc;
	mark = json_path_push_key(c, "samples");
	if (!cJSON_IsArray(arr) || !arr->child)
		rc = json_fail_got(c, "a non-empty array of durations", arr);
	else
		rc = dist_read_samples(c, arr, d);
	json_path_pop(c, mark);
	return rc;
}

struct dist_family {
	const char *name;
	enum dist_kind kind;
	const char *const *keys;  /* allowed keys, "dist" included */
	int (*read)(struct json_ctx *c, const cJSON *o, struct dist *d);
};

static const char *const dist_constant_keys[] = { "dist", "value", NULL };
static const char *const dist_uniform_keys[] = { "dist", "min", "max", NULL };
static const char *const dist_mean_keys[] = { "dist", "mean", NULL };
static const char *const dist_normal_keys[] = { "dist", "mean", "sd", NULL };
static const char *const dist_lognormal_keys[] = {
	"dist", "median", "sigma", "mean", "sd", NULL
};
static const char *const dist_gamma_keys[] = {
	"dist", "mean", "shape", NULL
};
static const char *const dist_weibull_keys[] = {
	"dist", "scale", "shape", NULL
};
static const char *const dist_empirical_keys[] = {
	"dist", "samples", NULL
};

static const struct dist_family dist_families[] = {
	{ "constant", DIST_CONSTANT, dist_constant_keys, dist_read_constant },
	{ "uniform", DIST_UNIFORM, dist_uniform_keys, dist_read_uniform },
	{ "exponential", DIST_EXPONENTIAL, dist_mean_keys,
	  dist_read_exponential },
	{ "normal", DIST_NORMAL, dist_normal_keys, dist_read_normal },
	{ "lognormal", DIST_LOGNORMAL, dist_lognormal_keys,
	  dist_read_lognormal },
	{ "gamma", DIST_GAMMA, dist_gamma_keys, dist_read_gamma },
	{ "weibull", DIST_WEIBULL, dist_weibull_keys, dist_read_weibull },
	{ "empirical", DIST_EMPIRICAL, dist_empirical_keys,
	  dist_read_empirical },
};

static const char *const dist_family_names[] = {
	"constant", "uniform", "exponential", "normal", "lognormal",
	"gamma", "weibull", "empirical", NULL
};

static int dist_read_object(struct json_ctx *c, const cJSON *o,
			    struct dist *d)
{
	const struct dist_family *fam = NULL;
	const char *name = NULL;
	size_t i, mark;
	int rc = json_require(c, o, "dist", NULL);

	if (rc == 0)
		rc = json_read_string(c, o, "dist", &name);
	if (rc)
		return rc;
	for (i = 0; i < sizeof(dist_families) / sizeof(*fam); i++)
		if (strcmp(name, dist_families[i].name) == 0)
			fam = &dist_families[i];
	if (!fam) {
		mark = json_path_push_key(c, "dist");
		rc = json_fail_enum(c, "distribution", name,
				    dist_family_names);
		json_path_pop(c, mark);
		return rc;
	}
	rc = json_check_keys(c, o, fam->keys);
	if (rc)
		return rc;
	d->kind = fam->kind;
	return fam->read(c, o, d);
}

int scenario_read_dist(struct json_ctx *c, const cJSON *obj,
		       const char *key, struct dist *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	struct dist tmp = dist_constant(0);
	size_t mark;
	int rc;

	if (!v)
		return 0;
	mark = json_path_push_key(c, key);
	if (cJSON_IsNumber(v) || cJSON_IsString(v))
		rc = json_duration_value(c, v, 0, &tmp.a_ns);
	else if (cJSON_IsObject(v))
		rc = dist_read_object(c, v, &tmp);
	else
		rc = json_fail_got(c, "a duration or a distribution object",
				   v);
	json_path_pop(c, mark);
	if (rc) {
		dist_release(&tmp);
		return rc;
	}
	dist_release(out);
	*out = tmp;
	return 0;
}
