/* plot.c - `rollsim plot` (plot.h). */
#include "plot.h"

int plot_dir(const char *dir, const char *scripts_dir, struct rs_error *err)
{
	(void)scripts_dir;
	return rs_error_set(err, RS_EIO, dir, "", "plots are not built yet");
}
