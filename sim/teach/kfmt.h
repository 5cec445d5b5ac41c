/* kfmt.h - kubectl's text formats: ages and tab-aligned tables.
 *
 * kfmt_age is HumanDuration (k8s.io/apimachinery pkg/util/duration
 * duration.go). struct kfmt_tab lays out rows as kubectl's tabwriter does
 * (k8s.io/cli-runtime pkg/printers/tabwriter.go, a fork of Go's
 * text/tabwriter): every cell but a row's last is padded with spaces to
 * its column's width, which is the widest cell plus padding and at least
 * minwidth; the last cell is written as is. A watch prints each row as it
 * comes and remembers the widths, so a column only grows (kfmt_tab_fit
 * then kfmt_tab_print on every row); a snapshot fits all rows first.
 */
#ifndef RSIM_KFMT_H
#define RSIM_KFMT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/core/engine.h"

/* HumanDuration of d_ns (truncated to whole seconds): "59s", "2m5s",
 * "3h1m", "2d5h", "<invalid>" below -1 s. */
void kfmt_age(sim_time_t d_ns, char *buf, size_t n);

#define KFMT_COLS 16

struct kfmt_tab {
	int minwidth, padding;
	int ncol;                 /* columns seen so far */
	int width[KFMT_COLS];     /* remembered widths, padding included */
};

/* kubectl get: minwidth 6, padding 3. describe, history: 0 and 2. */
void kfmt_tab_init(struct kfmt_tab *t, int minwidth, int padding);
/* Widens the columns for a row of n cells. */
void kfmt_tab_fit(struct kfmt_tab *t, const char *const *cells, int n);
/* Writes a row of n cells and a newline with the current widths. */
void kfmt_tab_print(FILE *f, const struct kfmt_tab *t,
		    const char *const *cells, int n);

/* One row of a watch (kubectl get -w): the header is fitted with the
 * first row and printed before it, once; *rows counts the rows so far. */
void kfmt_tab_watch(FILE *f, struct kfmt_tab *t, int *rows,
		    const char *const *head, const char *const *cells, int n);

#endif
