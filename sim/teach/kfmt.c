/* kfmt.c - kubectl's ages and tables (kfmt.h). */
#include "kfmt.h"

#include <string.h>

void kfmt_age(sim_time_t d_ns, char *buf, size_t n)
{
	long long s = (long long)(d_ns / 1000000000), m = s / 60, h = m / 60;
	long long days = h / 24, years = h / (24 * 365);

	if (s < -1)
		snprintf(buf, n, "<invalid>");
	else if (s < 0)
		snprintf(buf, n, "0s");
	else if (s < 120)
		snprintf(buf, n, "%llds", s);
	else if (m < 10 && s % 60 == 0)
		snprintf(buf, n, "%lldm", m);
	else if (m < 10)
		snprintf(buf, n, "%lldm%llds", m, s % 60);
	else if (m < 3 * 60)
		snprintf(buf, n, "%lldm", m);
	else if (h < 8 && m % 60 == 0)
		snprintf(buf, n, "%lldh", h);
	else if (h < 8)
		snprintf(buf, n, "%lldh%lldm", h, m % 60);
	else if (h < 48)
		snprintf(buf, n, "%lldh", h);
	else if (h < 24 * 8 && h % 24 == 0)
		snprintf(buf, n, "%lldd", days);
	else if (h < 24 * 8)
		snprintf(buf, n, "%lldd%lldh", days, h % 24);
	else if (h < 24 * 365 * 2)
		snprintf(buf, n, "%lldd", days);
	else if (h < 24 * 365 * 8 && days % 365 == 0)
		snprintf(buf, n, "%lldy", years);
	else if (h < 24 * 365 * 8)
		snprintf(buf, n, "%lldy%lldd", years, days % 365);
	else
		snprintf(buf, n, "%lldy", years);
}

void kfmt_tab_init(struct kfmt_tab *t, int minwidth, int padding)
{
	memset(t, 0, sizeof(*t));
	t->minwidth = minwidth;
	t->padding = padding;
}

void kfmt_tab_fit(struct kfmt_tab *t, const char *const *cells, int n)
{
	int i;

	for (i = 0; i + 1 < n && i < KFMT_COLS; i++) {
		int w = (int)strlen(cells[i]) + t->padding;

		if (w < t->minwidth)
			w = t->minwidth;
		if (w > t->width[i])
			t->width[i] = w;
	}
	if (n > t->ncol)
		t->ncol = n;
}

void kfmt_tab_print(FILE *f, const struct kfmt_tab *t,
		    const char *const *cells, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && i < KFMT_COLS)
			fprintf(f, "%-*s", t->width[i], cells[i]);
		else
			fputs(cells[i], f);
	}
	fputc('\n', f);
}

void kfmt_tab_watch(FILE *f, struct kfmt_tab *t, int *rows,
		    const char *const *head, const char *const *cells, int n)
{
	if ((*rows)++ == 0) {
		kfmt_tab_fit(t, head, n);
		kfmt_tab_fit(t, cells, n);
		kfmt_tab_print(f, t, head, n);
	}
	kfmt_tab_fit(t, cells, n);
	kfmt_tab_print(f, t, cells, n);
}
