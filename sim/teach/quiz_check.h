/* quiz_check.h - how `rollsim quiz` reads and judges an answer: pure
 * functions, tested on their own (tests/unit/test_quiz_check.c). */
#ifndef RSIM_QUIZ_CHECK_H
#define RSIM_QUIZ_CHECK_H

#include <stddef.h>

/* A first scaling step: "scale up new to 2", "scale down old to 4". */
struct quiz_step {
	int up;          /* 1 up, 0 down */
	long to;         /* the size it is scaled to */
};

/* A number at the start of s, optionally followed by a unit word ("7",
 * "14.2 s", "7 pods"). 0 and *v, or -1 when s does not read so. */
int quiz_parse_number(const char *s, double *v);
/* A whole number of pods or requests (no fraction, not negative). */
int quiz_parse_count(const char *s, long *v);
/* Two whole numbers separated by blanks, a comma or a slash ("2 1",
 * "2/1", "2, 1"). */
int quiz_parse_pair(const char *s, long *two);
/* "scale up new to 2", "up 2", "down old 4": the words up / down and a
 * count; "new" with down or "old" with up is refused (-1). */
int quiz_parse_step(const char *s, struct quiz_step *st);

/* answer within 10 % of truth (truth > 0; a hair of rounding allowed). */
int quiz_within_10pct(double answer, double truth);

/* The 95 % t-interval of the mean of x[0..n-1] (n >= 2): mean, *lo, *hi
 * (mean +- t(0.975, n - 1) * sd / sqrt(n)). */
double quiz_t_interval(const double *x, int n, double *lo, double *hi);

/* One line of an answer file without its comment ('#' to the end) and
 * surrounding blanks, in place; returns it ("" for a blank line). */
char *quiz_clean_line(char *line);

#endif
