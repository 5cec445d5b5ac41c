/* tabw.c - Go's text/tabwriter, the subset kubectl describe uses
 * (tabw.h): Writer.format's column blocks, cells padded with spaces. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "tabw.h"

#define TABW_COLS 16

struct tw_line {
	const char *cell[TABW_COLS + 1];  /* starts of its cells */
	int len[TABW_COLS + 1];           /* their lengths */
	int n;                            /* cells, the trailing text last */
};

void tabw_init(struct tabw *t, int minwidth, int padding)
{
	strbuf_init(&t->buf);
	t->minwidth = minwidth;
	t->padding = padding;
	t->error = 0;
}

void tabw_printf(struct tabw *t, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (strbuf_addstr(&t->buf, tmp))
		t->error = RSIM_ENOMEM;
}

void tabw_release(struct tabw *t)
{
	strbuf_release(&t->buf);
}

/* Splits one line (without its newline) into cells. */
static void tw_split(const char *s, size_t n, struct tw_line *l)
{
	size_t i, start = 0;

	l->n = 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\t' && l->n < TABW_COLS) {
			l->cell[l->n] = s + start;
			l->len[l->n++] = (int)(i - start);
			start = i + 1;
		}
	l->cell[l->n] = s + start;
	l->len[l->n++] = (int)(n - start);
}

static void tw_write(FILE *out, const struct tw_line *lines, int l0, int l1,
		     const int *widths, int ncol)
{
	int i, j;

	for (i = l0; i < l1; i++) {
		for (j = 0; j < lines[i].n; j++) {
			fwrite(lines[i].cell[j], 1, (size_t)lines[i].len[j],
			       out);
			if (j < ncol && j + 1 < lines[i].n)
				fprintf(out, "%*s", widths[j] - lines[i].len[j],
					"");
		}
		fputc('\n', out);
	}
}

/* Writer.format: the blocks of column ncol within [l0, l1). */
static void tw_format(const struct tabw *t, FILE *out,
		      const struct tw_line *lines, int l0, int l1,
		      int *widths, int ncol)
{
	int this, width;

	for (this = l0; this < l1; this++) {
		if (ncol >= lines[this].n - 1 || ncol >= TABW_COLS)
			continue;
		tw_write(out, lines, l0, this, widths, ncol);
		l0 = this;
		width = t->minwidth;
		for (; this < l1 && ncol < lines[this].n - 1; this++)
			if (lines[this].len[ncol] + t->padding > width)
				width = lines[this].len[ncol] + t->padding;
		widths[ncol] = width;
		tw_format(t, out, lines, l0, this, widths, ncol + 1);
		l0 = this;
	}
	tw_write(out, lines, l0, l1, widths, ncol);
}

int tabw_flush(struct tabw *t, FILE *out)
{
	struct tw_line *lines;
	int widths[TABW_COLS], n = 0, k = 0;
	const char *s = t->buf.len ? t->buf.buf : "", *nl;

	if (t->error)
		return t->error;
	for (nl = s; (nl = strchr(nl, '\n')) != NULL; nl++)
		n++;
	lines = rsim_malloc((size_t)(n + 1) * sizeof(*lines));
	if (!lines)
		return RSIM_ENOMEM;
	for (; k < n; k++) {
		nl = strchr(s, '\n');
		tw_split(s, (size_t)(nl - s), &lines[k]);
		s = nl + 1;
	}
	tw_format(t, out, lines, 0, n, widths, 0);
	free(lines);
	strbuf_reset(&t->buf);
	return 0;
}
