/* calib.h - the calibrate command: kubectl dumps in, the images section
 * of a scenario out (docs/calibrate.md). */
#ifndef RSIM_CALIB_H
#define RSIM_CALIB_H

#include <stdio.h>

#include "sim/core/err.h"

/* Reads files[0..n) (scenario_calib_read), fits each image's fields,
 * prints the report (JSON when json) to rep and writes the images
 * section to out (atomically: nothing is written on error). */
int calib_run(const char *const *files, int n, const char *out, int json,
	      FILE *rep, struct rsim_error *err);

#endif
