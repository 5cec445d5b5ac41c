/* watch_board.c - `rollsim watch --view board` (board.h): records the
 * run, then replays it on the terminal at --speed, or prints its
 * transcript with --plain or when standard output is not a terminal. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "board.h"
#include "teach_impl.h"

/* --speed X: simulated seconds per wall second, a positive number. */
static int parse_speed(const char *s, double *speed, struct rsim_error *err)
{
	char *end;

	*speed = 1;
	if (!s)
		return 0;
	*speed = strtod(s, &end);
	if (end == s || *end || !isfinite(*speed) || *speed <= 0)
		return rsim_error_set(err, RSIM_EINPUT, "", "",
				      "--speed: expected a positive number "
				      "(simulated seconds per second), got "
				      "\"%s\"", s);
	return 0;
}

int watch_board(const struct teach_args *a, const struct world_config *cfg,
		FILE *out, struct rsim_error *err)
{
	struct board_run r;
	double speed;
	int rc = parse_speed(a->speed, &speed, err);

	if (rc)
		return rc;
	rc = board_record(cfg, &r, err);
	if (rc)
		return rc;
	if (a->plain || !isatty(fileno(out)))
		rc = board_print_plain(&r, out, err);
	else
		rc = board_term_run(&r, speed, out, err);
	board_run_release(&r);
	return rc;
}
