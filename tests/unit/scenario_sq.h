/* scenario_sq.h - scenarios written in single-quoted JSON, shared by the
 * loader's unit tests (test_scenario.c, test_scenario_prog.c): C string
 * literals stay readable with ' where JSON needs ". The label in error
 * lines is SQ_LABEL.
 */
#ifndef RSIM_TEST_SCENARIO_SQ_H
#define RSIM_TEST_SCENARIO_SQ_H

#include <stddef.h>

#include "models/world.h"

#define SQ_LABEL "scenarios/x.json"

/* A malloc'd copy of s with every ' turned into ". */
char *sq_to_dq(const char *s);
/* Loads sq; line receives the error line, or "" when it loads. Returns
 * the loader's code. */
int load_sq(const char *sq, struct world_config *cfg, char *line, size_t n);

#endif
