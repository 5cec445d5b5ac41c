/* quiz.h - the questions of `rollsim quiz` (quiz.c builds and asks them,
 * quiz_ask.c reads and judges the answers). */
#ifndef RSIM_QUIZ_H
#define RSIM_QUIZ_H

#include <stdio.h>

#include "quiz_check.h"
#include "quiz_facts.h"

#define QUIZ_MAX 6

enum quiz_kind {
	QUIZ_COUNT = 0,     /* a whole number, exact */
	QUIZ_BOUNDS,        /* maxSurge and maxUnavailable: two counts */
	QUIZ_STEP,          /* "scale up new to N" */
	QUIZ_DURATION,      /* seconds, right within 10 % */
	QUIZ_INTERVAL       /* a count, right inside [lo, hi] */
};

struct quiz_q {
	enum quiz_kind kind;
	char text[512];
	long truth;               /* QUIZ_COUNT; QUIZ_INTERVAL: this run */
	long bounds[2];           /* QUIZ_BOUNDS: surge, unavailable */
	struct quiz_step step;    /* QUIZ_STEP */
	double seconds;           /* QUIZ_DURATION */
	double mean, lo, hi;      /* QUIZ_INTERVAL */
	char why[1024];           /* the explanation */
};

struct quiz {
	struct quiz_facts f;
	struct quiz_q qs[QUIZ_MAX];
	int n;
};

/* Asks q's questions on out, reading answers from in (the terminal) or
 * from the lines of an answer file (answers, n_answers; in is then
 * NULL). Returns the number right. */
int quiz_ask(const struct quiz *q, FILE *in, char *const *answers,
	     int n_answers, FILE *out);
/* Checks that the answer lines (comments removed) read as answers to
 * q's questions: 0, or RSIM_EINPUT with err naming file and line. */
int quiz_check_file(const struct quiz *q, const char *file,
		    char *const *answers, const int *line_no, int n_answers,
		    struct rsim_error *err);

#endif
