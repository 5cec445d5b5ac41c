/* tabw.h - Go's text/tabwriter as kubectl describe uses it (minwidth 0,
 * padding 2, spaces): text is buffered until tabw_flush; a cell is text
 * ended by a tab, and a column is aligned over each block of consecutive
 * lines that have a cell in it (a line with fewer cells ends the block),
 * so distant parts of the output align only when nothing breaks the run
 * of lines between them. The text after a line's last tab is not padded.
 */
#ifndef RSIM_TEACH_TABW_H
#define RSIM_TEACH_TABW_H

#include <stdio.h>

#include "sim/core/strbuf.h"

struct tabw {
	struct strbuf buf;
	int minwidth, padding;
	int error;                 /* out of memory while buffering */
};

void tabw_init(struct tabw *t, int minwidth, int padding);
void tabw_printf(struct tabw *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes the buffered lines aligned to out and empties the buffer.
 * Returns 0 or RSIM_ENOMEM. */
int tabw_flush(struct tabw *t, FILE *out);
void tabw_release(struct tabw *t);

#endif
