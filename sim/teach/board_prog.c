/* board_prog.c - what the board shows of a progressive rollout (board.h):
 * the pods' roles (stable / canary, active / preview, primary / canary),
 * the canary weight as a bar, Argo canary's step and blueGreen's
 * Services, as lines the transcript and the terminal both print.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board.h"

/* Cells of the weight bar: 5 % each. */
#define WEIGHT_CELLS 20

const char *board_group_role(const struct board_run *r,
			     const struct board_frame *f,
			     const struct board_group *g)
{
	const char *role = board_text(r, g->role);

	if (!f->prog.on)
		return "";
	return *role ? role : "old";
}

/* A text of the frame, or dflt when it is empty. */
static const char *text_or(const struct board_run *r, uint32_t off,
			   const char *dflt)
{
	const char *s = board_text(r, off);

	return *s ? s : dflt;
}

/* Argo's CanaryStepString (utils/rollout/rolloututil.go): "setWeight:
 * 20", "pause: 30s", "pause", "analysis". A pause's duration is written
 * in seconds (Argo prints it as the spec wrote it). */
static void step_string(const struct canary_step *st, char *buf, size_t n)
{
	switch (st->kind) {
	case CANARY_SET_WEIGHT:
		snprintf(buf, n, "setWeight: %" PRId32, st->weight);
		break;
	case CANARY_PAUSE:
		if (st->pause_ns < 0)
			snprintf(buf, n, "pause");
		else if (st->pause_ns % SIM_NS_PER_S == 0)
			snprintf(buf, n, "pause: %" PRId64 "s",
				 st->pause_ns / SIM_NS_PER_S);
		else
			snprintf(buf, n, "pause: %.3fs",
				 (double)st->pause_ns / SIM_NS_PER_S);
		break;
	default:
		snprintf(buf, n, "analysis");
		break;
	}
}

/* "1/6, now step 2: pause: 30s": Argo's Step (currentStepIndex / steps,
 * as `kubectl argo rollouts get rollout` prints it), then the step it
 * runs, counted from 1. */
static void step_line(const struct board_run *r, const struct board_frame *f,
		      char *buf, size_t n)
{
	const struct canary_config *c = &r->cfg->deployment.prog.canary;
	const struct board_prog *p = &f->prog;
	char st[64];

	if (p->step >= p->n_steps || p->step >= c->n_steps) {
		snprintf(buf, n, "%" PRId32 "/%" PRId32 ", all steps done",
			 p->step, p->n_steps);
		return;
	}
	step_string(&c->steps[p->step], st, sizeof(st));
	snprintf(buf, n, "%" PRId32 "/%" PRId32 ", now step %" PRId32 ": %s",
		 p->step, p->n_steps, p->step + 1, st);
}

/* Ready pods of f's groups with role (all groups when role is NULL). */
static int32_t ready_of(const struct board_run *r,
			const struct board_frame *f, const char *role)
{
	int32_t n = 0;
	uint32_t i;

	for (i = 0; i < f->ng; i++) {
		const struct board_group *g = &r->groups[f->g0 + i];

		if (!role || strcmp(board_text(r, g->role), role) == 0)
			n += g->n[BOARD_READY];
	}
	return n;
}

/* "canary 20 %  [####................]  stable 80 %", and for Argo's
 * basic canary the share of ready pods, which is what requests follow
 * without traffic routing (the Service picks among all ready pods). */
static void weight_line(const struct board_run *r,
			const struct board_frame *f, char *buf, size_t n)
{
	const struct board_prog *p = &f->prog;
	const char *cr = text_or(r, p->canary_role, "canary");
	int32_t w = p->weight < 0 ? 0 : p->weight > 100 ? 100 : p->weight;
	int32_t k = (w * WEIGHT_CELLS + 50) / 100, i, ready, all;
	char bar[WEIGHT_CELLS + 1];
	size_t len;

	for (i = 0; i < WEIGHT_CELLS; i++)
		bar[i] = i < k ? '#' : '.';
	bar[WEIGHT_CELLS] = '\0';
	snprintf(buf, n, "%s %" PRId32 " %%  [%s]  %s %" PRId32 " %%", cr, w,
		 bar, text_or(r, p->stable_role, "stable"), 100 - w);
	if (f->strategy != STRATEGY_CANARY)
		return;
	ready = ready_of(r, f, cr);
	all = ready_of(r, f, NULL);
	len = strlen(buf);
	snprintf(buf + len, n - len, "; requests follow the ready pods: %s "
		 "%" PRId32 " of %" PRId32 "%s", cr, ready, all,
		 all ? "" : " (none ready)");
	len = strlen(buf);
	if (all)
		snprintf(buf + len, n - len, " (%" PRId32 " %%)",
			 (int32_t)((int64_t)ready * 100 / all));
}

/* "active Service -> v1 (web-66c78968f9), preview Service -> v2 (...)" */
static void services_line(const struct board_run *r,
			  const struct board_frame *f, char *buf, size_t n)
{
	const struct board_prog *p = &f->prog;
	char lab[16];
	size_t len;

	if (p->stable_version < 0) {
		snprintf(buf, n, "active Service -> no ReplicaSet yet");
		return;
	}
	snprintf(buf, n, "active Service -> %s (%s)",
		 board_version_label(p->stable_version, lab, sizeof(lab)),
		 board_text(r, p->stable_rs));
	len = strlen(buf);
	if (p->canary_version >= 0)
		snprintf(buf + len, n - len, ", preview Service -> %s (%s)",
			 board_version_label(p->canary_version, lab,
					     sizeof(lab)),
			 board_text(r, p->canary_rs));
}

int board_prog_lines(const struct board_run *r, const struct board_frame *f,
		     struct board_prog_line *out, int max)
{
	int n = 0;

	if (!f->prog.on || max < BOARD_PROG_LINES)
		return 0;
	if (f->strategy == STRATEGY_BLUE_GREEN) {
		out[n].label = "services";
		services_line(r, f, out[n++].text, sizeof(out->text));
		return n;
	}
	out[n].label = "weight";
	weight_line(r, f, out[n++].text, sizeof(out->text));
	if (f->strategy == STRATEGY_CANARY && f->prog.step >= 0 &&
	    f->prog.n_steps > 0) {
		out[n].label = "step";
		step_line(r, f, out[n++].text, sizeof(out->text));
	}
	return n;
}
