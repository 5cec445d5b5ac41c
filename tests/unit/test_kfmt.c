/* test_kfmt.c - kubectl's AGE (HumanDuration) and table layout.
 *
 * kfmt_age against every checked example of apimachinery's
 * pkg/util/duration HumanDuration (integer truncation to whole seconds,
 * then: < -1 s "<invalid>", -1 s "0s", < 120 s seconds, < 10 min m[s],
 * < 3 h minutes, < 8 h h[m], < 48 h hours, < 8 d d[h], < 2 years days,
 * < 8 years y[d], else years). kfmt_tab against cli-runtime's tabwriter
 * settings for kubectl get: a cell is padded to its column's width,
 * which is the widest cell + 3 (padding) and at least 6 (minwidth); the
 * last cell is not padded; with RememberWidths a width never shrinks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sim/teach/kfmt.h"

#define S 1000000000LL

static void expect_age(long long secs, const char *want)
{
	char buf[32];

	kfmt_age(secs * S, buf, sizeof(buf));
	cr_expect_str_eq(buf, want, "%lld s: expected %s, got %s", secs, want,
			 buf);
}

Test(kfmt, age_checked_examples)
{
	expect_age(59, "59s");
	expect_age(119, "119s");
	expect_age(120, "2m");
	expect_age(125, "2m5s");
	expect_age(599, "9m59s");
	expect_age(600, "10m");
	expect_age(10799, "179m");
	expect_age(10800, "3h");
	expect_age(10860, "3h1m");
	expect_age(28799, "7h59m");
	expect_age(28800, "8h");
	expect_age(172799, "47h");
	expect_age(172800, "2d");
	expect_age(190800, "2d5h");
	expect_age(691199, "7d23h");
	expect_age(691200, "8d");
	expect_age(63071999, "729d");
	expect_age(63072000, "2y");
	expect_age(63158400, "2y1d");
	expect_age(8LL * 365 * 24 * 3600, "8y");
}

/* The edges: 0, -1 s and below, truncation of fractions. */
Test(kfmt, age_edges)
{
	char buf[32];

	expect_age(0, "0s");
	expect_age(-1, "0s");
	expect_age(-2, "<invalid>");
	kfmt_age(1999999999LL, buf, sizeof(buf));      /* 1.999999999 s */
	cr_expect_str_eq(buf, "1s");
	kfmt_age(-1999999999LL, buf, sizeof(buf));     /* -1.99 s: int -1 */
	cr_expect_str_eq(buf, "0s");
	kfmt_age(119 * S + 999999999LL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "119s");
}

/* Writes rows through a tab into a string. */
static char *render(struct kfmt_tab *t, const char *const *rows, int nrows,
		    int ncells, int fit_all_first)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	cr_assert_not_null(f);
	if (fit_all_first)
		for (i = 0; i < nrows; i++)
			kfmt_tab_fit(t, rows + i * ncells, ncells);
	for (i = 0; i < nrows; i++) {
		if (!fit_all_first)
			kfmt_tab_fit(t, rows + i * ncells, ncells);
		kfmt_tab_print(f, t, rows + i * ncells, ncells);
	}
	fclose(f);
	return buf;
}

/* minwidth 6: "A" takes 6; padding 3: "NAME" takes 7; the last cell
 * as is. */
Test(kfmt, tab_minwidth_and_padding)
{
	static const char *const rows[] = { "A", "NAME", "x", "B", "NO", "yy" };
	struct kfmt_tab t;
	char *s;

	kfmt_tab_init(&t, 6, 3);
	s = render(&t, rows, 2, 3, 1);
	cr_expect_str_eq(s, "A     NAME   x\n"
			    "B     NO     yy\n");
	free(s);
}

/* A watch: each row fitted and printed as it comes (one flush each).
 * The header alone gives STATUS 6 + 3; Pending widens it to 10,
 * ContainerCreating to 20 from that row on; Running later keeps 20
 * (RememberWidths). */
Test(kfmt, tab_remembers_widths)
{
	static const char *const rows[] = {
		"NAME", "STATUS", "AGE",
		"p", "Pending", "0s",
		"p", "ContainerCreating", "0s",
		"p", "Running", "3s",
	};
	struct kfmt_tab t;
	char *s;

	kfmt_tab_init(&t, 6, 3);
	s = render(&t, rows, 4, 3, 0);
	cr_expect_str_eq(s, "NAME   STATUS   AGE\n"
			    "p      Pending   0s\n"
			    "p      ContainerCreating   0s\n"
			    "p      Running             3s\n");
	free(s);
}

/* describe and history: minwidth 0, padding 2. */
Test(kfmt, tab_describe_settings)
{
	static const char *const rows[] = { "REVISION", "CHANGE-CAUSE", "1",
					    "<none>" };
	struct kfmt_tab t;
	char *s;

	kfmt_tab_init(&t, 0, 2);
	s = render(&t, rows, 2, 2, 1);
	cr_expect_str_eq(s, "REVISION  CHANGE-CAUSE\n"
			    "1         <none>\n");
	free(s);
}
