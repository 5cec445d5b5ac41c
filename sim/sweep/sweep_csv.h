/* sweep_csv.h - the CSV text shared by runs.csv and summary.csv (private
 * to sim/sweep): a growing buffer, quoted fields, numbers as both files
 * print them, the point columns both begin with, and a line splitter. */
#ifndef RSIM_SWEEP_CSV_H
#define RSIM_SWEEP_CSV_H

#include "sim/core/strbuf.h"
#include "sweep.h"

/* The most fields a line of runs.csv or summary.csv is split into. */
#define SWEEP_CSV_MAX_FIELDS 4096

/* The names of the columns both files share. */
#define SWEEP_COL_POINT "point"
#define SWEEP_COL_VARIANT "variant"

/* A string being built; oom is sticky, checked once at the end. */
struct sweep_buf {
	struct strbuf sb;
	int oom;
};
#define SWEEP_BUF_INIT { STRBUF_INIT, 0 }

/* The string built (caller frees), or NULL when out of memory; b is
 * emptied either way. */
char *sweep_buf_finish(struct sweep_buf *b);

void sweep_csv_add(struct sweep_buf *b, const char *t);

/* A CSV field (a comma before it unless first). */
void sweep_csv_field(struct sweep_buf *b, const char *t, int first);

/* ",number" with up to 9 decimals and no trailing zeros; "," for NaN. */
void sweep_csv_number(struct sweep_buf *b, double v);

/* point,variant,<vary values> of a point. */
void sweep_csv_point(struct sweep_buf *b, const struct sweep_plan *p,
		     int32_t point, int first);

/* The header of those columns: point,variant,<vary paths>. */
void sweep_csv_header_common(struct sweep_buf *b, const struct sweep_plan *p);

/* Splits a CSV line into at most max fields (quotes handled; the line is
 * modified). Returns the number of fields. */
int sweep_csv_split(char *line, char **fields, int max);

#endif
