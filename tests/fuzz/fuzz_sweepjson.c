/* fuzz_sweepjson.c - a sweep.json as merge and --resume read it back
 * (sweep_parse_plan, sweep_plan_from_json): a plan it accepts must be
 * one the merge can index (runs, points, baseline) without overflow. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "sim/sweep/sweep.h"
#include "sim/sweep/sweep_out.h"

static void check_plan(const struct sweep_plan *p)
{
	int32_t i;

	FUZZ_CHECK(p->replications >= 1, "replications < 1");
	FUZZ_CHECK(p->n_points >= 1, "no points");
	FUZZ_CHECK((int64_t)p->n_points * p->replications <= INT32_MAX,
		   "run count overflows int32");
	FUZZ_CHECK(p->baseline >= 0 && p->baseline < p->n_points,
		   "baseline out of range");
	for (i = 0; i < p->n_points; i++) {
		FUZZ_CHECK(p->points[i].variant >= -1 &&
			   p->points[i].variant < p->n_variants,
			   "variant out of range");
	}
}

int fuzz_sweepjson(const uint8_t *data, size_t n)
{
	struct rsim_error err = { 0 };
	struct sweep_plan p;
	char *text = malloc(n + 1);
	cJSON *plan;

	FUZZ_CHECK(text != NULL, "malloc");
	memcpy(text, data, n);
	text[n] = '\0';
	plan = sweep_parse_plan(text, "fuzz/sweep.json", &err);
	free(text);
	fuzz_check_result(plan ? 0 : RSIM_EINPUT, &err, "sweep_parse_plan");
	if (plan && sweep_plan_from_json(plan, &p) == 0)
		check_plan(&p);
	if (plan)
		sweep_plan_release(&p);
	cJSON_Delete(plan);
	return 0;
}
