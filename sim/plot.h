/* plot.h - `rollsim plot DIR`: render a run or sweep directory with
 * gnuplot (an external program) using the scripts in plots/.
 *
 * A run directory (summary.json, timeline.csv) gets the pod timeline; a
 * sweep directory (sweep.json, summary.csv) gets the duration heatmap
 * over maxSurge x maxUnavailable (when both are varied), the trade-off of
 * mean duration against failed requests with 95 % error bars, and bars
 * per variant. Each plot is written as PNG and SVG into DIR/plots/.
 */
#ifndef RS_PLOT_H
#define RS_PLOT_H

#include "err.h"

/* Returns 0, RS_EINPUT (not a run or sweep directory), or RS_EIO
 * (gnuplot missing or failed: err says how to install it). Prints the
 * paths of the files written on stdout. scripts_dir is where the *.gp
 * scripts are (NULL: next to the executable's repository, see plot.c). */
int plot_dir(const char *dir, const char *scripts_dir, struct rs_error *err);

#endif
