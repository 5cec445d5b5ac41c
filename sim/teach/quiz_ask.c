/* quiz_ask.c - asking the quiz's questions and judging the answers
 * (quiz.h): each question, the answer given, right or wrong, the true
 * value and its explanation; then the score. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "quiz.h"

/* What q expects, for prompts and errors. */
static const char *expected(const struct quiz_q *q)
{
	switch (q->kind) {
	case QUIZ_STEP:
		return "\"scale up new to N\" or \"scale down old to N\"";
	case QUIZ_DURATION:
		return "a number of seconds";
	case QUIZ_BOUNDS:
		return "two whole numbers such as \"3 1\"";
	default:
		return "a whole number";
	}
}

/* 1 right, 0 wrong, -1 the answer does not read as one. */
static int judge(const struct quiz_q *q, const char *ans)
{
	struct quiz_step st;
	double d;
	long v;

	long two[2];

	switch (q->kind) {
	case QUIZ_BOUNDS:
		if (quiz_parse_pair(ans, two))
			return -1;
		return two[0] == q->bounds[0] && two[1] == q->bounds[1];
	case QUIZ_STEP:
		if (quiz_parse_step(ans, &st))
			return -1;
		return st.up == q->step.up && st.to == q->step.to;
	case QUIZ_DURATION:
		if (quiz_parse_number(ans, &d))
			return -1;
		return quiz_within_10pct(d, q->seconds);
	case QUIZ_INTERVAL:
		if (quiz_parse_count(ans, &v))
			return -1;
		return (double)v >= q->lo - 1e-9 && (double)v <= q->hi + 1e-9;
	default:
		if (quiz_parse_count(ans, &v))
			return -1;
		return v == q->truth;
	}
}

static void print_truth(const struct quiz_q *q, FILE *out)
{
	switch (q->kind) {
	case QUIZ_BOUNDS:
		fprintf(out, "maxSurge %ld, maxUnavailable %ld", q->bounds[0],
			q->bounds[1]);
		break;
	case QUIZ_STEP:
		fprintf(out, "scale %s %s to %ld", q->step.up ? "up" : "down",
			q->step.up ? "new" : "old", q->step.to);
		break;
	case QUIZ_DURATION:
		fprintf(out, "%.3f s (right from %.3f to %.3f s)", q->seconds,
			0.9 * q->seconds, 1.1 * q->seconds);
		break;
	case QUIZ_INTERVAL:
		fprintf(out, "%.1f on average, 95 %% CI [%.1f, %.1f]", q->mean,
			q->lo, q->hi);
		break;
	default:
		fprintf(out, "%ld", q->truth);
	}
}

/* The next answer from the terminal: asks again until one reads;
 * NULL at the end of input. */
static const char *read_terminal(const struct quiz_q *q, FILE *in,
				 FILE *out, char *buf, size_t n)
{
	char *s;

	int tty = isatty(fileno(in));

	for (;;) {
		if (tty) {
			fprintf(out, "    your answer> ");
			fflush(out);
		}
		if (!fgets(buf, (int)n, in)) {
			if (tty)
				fputc('\n', out);
			return NULL;
		}
		s = quiz_clean_line(buf);
		if (*s && judge(q, s) >= 0)
			return s;
		fprintf(out, "    expected %s\n", expected(q));
	}
}

int quiz_ask(const struct quiz *q, FILE *in, char *const *answers,
	     int n_answers, FILE *out)
{
	char buf[512];
	int i, right = 0;

	for (i = 0; i < q->n; i++) {
		const struct quiz_q *x = &q->qs[i];
		const char *ans = NULL;
		int ok;

		fprintf(out, "Q%d. %s\n", i + 1, x->text);
		if (in)
			ans = read_terminal(x, in, out, buf, sizeof(buf));
		else if (i < n_answers)
			ans = answers[i];
		ok = ans ? judge(x, ans) == 1 : 0;
		right += ok;
		fprintf(out, "    answer:  %s  %s\n", ans ? ans : "(none)",
			ok ? "RIGHT" : "WRONG");
		fprintf(out, "    true:    ");
		print_truth(x, out);
		fprintf(out, "\n    why:     %s\n\n", x->why);
	}
	fprintf(out, "score: %d of %d\n", right, q->n);
	return right;
}

int quiz_check_file(const struct quiz *q, const char *file,
		    char *const *answers, const int *line_no, int n_answers,
		    struct rsim_error *err)
{
	int i;

	if (n_answers != q->n)
		return rsim_error_set(err, RSIM_EINPUT, file, "",
				      "expected %d answers (one a line), got "
				      "%d", q->n, n_answers);
	for (i = 0; i < n_answers; i++)
		if (judge(&q->qs[i], answers[i]) < 0) {
			char where[32];

			snprintf(where, sizeof(where), "line %d", line_no[i]);
			return rsim_error_set(err, RSIM_EINPUT, file, where,
					      "answer %d: expected %s, got "
					      "\"%s\"", i + 1,
					      expected(&q->qs[i]), answers[i]);
		}
	return 0;
}
