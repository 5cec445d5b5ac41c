/* scenario_sq.c - single-quoted scenarios for the loader's tests
 * (scenario_sq.h). */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sim/core/err.h"
#include "sim/scenario/scenario.h"
#include "scenario_sq.h"

char *sq_to_dq(const char *s)
{
	char *t = strdup(s), *p;

	cr_assert_not_null(t);
	for (p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	return t;
}

int load_sq(const char *sq, struct world_config *cfg, char *line, size_t n)
{
	struct rsim_error err = { 0 };
	char *text = sq_to_dq(sq);
	int rc = scenario_load_string(text, SQ_LABEL, cfg, &err);

	free(text);
	line[0] = '\0';
	if (rc)
		rsim_error_format(&err, line, n);
	return rc;
}
