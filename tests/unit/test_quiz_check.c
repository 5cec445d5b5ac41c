/* test_quiz_check.c - reading and judging quiz answers
 * (sim/teach/quiz_check.c). Expected values by hand: the 10 % band, and
 * the t-interval of 1..10 (mean 5.5, sd sqrt(82.5 / 9) = 3.0277,
 * t(0.975, 9) = 2.2622 from a t table: half-width 2.2622 * 3.0277 /
 * sqrt(10) = 2.1659). */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/teach/quiz_check.h"

Test(quiz_check, numbers_and_counts)
{
	double d = 0;
	long v = 0;

	cr_expect_eq(quiz_parse_number("14.2", &d), 0);
	cr_expect_float_eq(d, 14.2, 1e-12);
	cr_expect_eq(quiz_parse_number(" 14 s ", &d), 0);
	cr_expect_float_eq(d, 14.0, 1e-12);
	cr_expect_eq(quiz_parse_number("fourteen", &d), -1);
	cr_expect_eq(quiz_parse_number("14 s 3", &d), -1);
	cr_expect_eq(quiz_parse_count("7 pods", &v), 0);
	cr_expect_eq(v, 7);
	cr_expect_eq(quiz_parse_count("7.5", &v), -1);
	cr_expect_eq(quiz_parse_count("-1", &v), -1);
}

Test(quiz_check, pairs_and_steps)
{
	struct quiz_step st = { 0, 0 };
	long two[2] = { 0, 0 };

	cr_expect_eq(quiz_parse_pair("2 1", two), 0);
	cr_expect(two[0] == 2 && two[1] == 1);
	cr_expect_eq(quiz_parse_pair("3/0", two), 0);
	cr_expect(two[0] == 3 && two[1] == 0);
	cr_expect_eq(quiz_parse_pair("2, 1", two), 0);
	cr_expect_eq(quiz_parse_pair("2", two), -1);
	cr_expect_eq(quiz_parse_pair("2 1 0", two), -1);
	cr_expect_eq(quiz_parse_step("scale up new to 2", &st), 0);
	cr_expect(st.up == 1 && st.to == 2);
	cr_expect_eq(quiz_parse_step("down 4", &st), 0);
	cr_expect(st.up == 0 && st.to == 4);
	cr_expect_eq(quiz_parse_step("scale up old to 2", &st), -1);
	cr_expect_eq(quiz_parse_step("scale new to 2", &st), -1);
	cr_expect_eq(quiz_parse_step("up", &st), -1);
}

/* 21 s: right from 18.9 to 23.1 s, both ends included. */
Test(quiz_check, ten_percent_edges)
{
	cr_expect(quiz_within_10pct(21.0, 21.0));
	cr_expect(quiz_within_10pct(23.1, 21.0));
	cr_expect(quiz_within_10pct(18.9, 21.0));
	cr_expect(!quiz_within_10pct(23.2, 21.0));
	cr_expect(!quiz_within_10pct(18.8, 21.0));
}

Test(quiz_check, t_interval)
{
	double x[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, lo, hi;
	double same[10] = { 0 };

	cr_expect_float_eq(quiz_t_interval(x, 10, &lo, &hi), 5.5, 1e-12);
	cr_expect_float_eq(lo, 5.5 - 2.1659, 1e-3);
	cr_expect_float_eq(hi, 5.5 + 2.1659, 1e-3);
	quiz_t_interval(same, 10, &lo, &hi);
	cr_expect(lo == 0 && hi == 0);
}

Test(quiz_check, comments_and_blanks)
{
	char a[] = "  2 1   # surge, unavailable\n", b[] = "# only\n",
	     c[] = "\n";

	cr_expect_str_eq(quiz_clean_line(a), "2 1");
	cr_expect_str_eq(quiz_clean_line(b), "");
	cr_expect_str_eq(quiz_clean_line(c), "");
}
