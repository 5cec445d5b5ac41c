/* quiz.c - rollsim quiz (not built yet). */
#include "teach_impl.h"

int teach_quiz(const struct teach_args *a, struct rsim_error *err)
{
	(void)a;
	return rsim_error_set(err, RSIM_EINPUT, "", "", "not built yet");
}

