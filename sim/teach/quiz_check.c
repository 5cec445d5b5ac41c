/* quiz_check.c - reading and judging quiz answers (quiz_check.h). */
#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quiz_check.h"

int quiz_parse_number(const char *s, double *v)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-')
		return -1;
	*v = strtod(s, &end);
	if (end == s || !isfinite(*v))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	while (isalpha((unsigned char)*end))    /* one unit word */
		end++;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : 0;
}

int quiz_parse_count(const char *s, long *v)
{
	double d;

	if (quiz_parse_number(s, &d) || d < 0 || d != floor(d) || d > 1e15)
		return -1;
	*v = (long)d;
	return 0;
}

int quiz_parse_pair(const char *s, long *two)
{
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		while (isspace((unsigned char)*s) ||
		       (i == 1 && (*s == ',' || *s == '/')))
			s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		two[i] = strtol(s, &end, 10);
		s = end;
	}
	while (isspace((unsigned char)*s))
		s++;
	return *s ? -1 : 0;
}

static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = strstr(s, w); p; p = strstr(p + 1, w))
		if ((p == s || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[n]))
			return 1;
	return 0;
}

int quiz_parse_step(const char *s, struct quiz_step *st)
{
	const char *p;
	int up = has_word(s, "up"), down = has_word(s, "down");
	int digits = 0;

	if (up == down)
		return -1;
	if ((up && has_word(s, "old")) || (down && has_word(s, "new")))
		return -1;
	for (p = s; *p; p++)
		if (isdigit((unsigned char)*p) &&
		    (p == s || !isdigit((unsigned char)p[-1]))) {
			st->to = strtol(p, NULL, 10);
			digits++;
		}
	if (digits != 1)
		return -1;
	st->up = up;
	return 0;
}

int quiz_within_10pct(double answer, double truth)
{
	return fabs(answer - truth) <= 0.1 * fabs(truth) + 1e-9;
}

double quiz_t_interval(const double *x, int n, double *lo, double *hi)
{
	double sum = 0, ss = 0, mean, half;
	int i;

	for (i = 0; i < n; i++)
		sum += x[i];
	mean = sum / n;
	for (i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) *
			       sqrt(ss / (n - 1)) / sqrt((double)n)
		     : 0;
	*lo = mean - half;
	*hi = mean + half;
	return mean;
}

char *quiz_clean_line(char *line)
{
	char *hash = strchr(line, '#'), *end;

	if (hash)
		*hash = '\0';
	while (isspace((unsigned char)*line))
		line++;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return line;
}
