/* board_plain.c - the board as a transcript (board.h): a header naming
 * the versions and the state letters, then every frame in full, as text
 * without escape codes, for tests and slides. The same run gives the
 * same bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board.h"

static const struct {
	char letter;
	const char *name;
} states[BOARD_NSTATES] = {
	[BOARD_READY] = { '#', "ready" },
	[BOARD_RUNNING] = { 'o', "not ready" },
	[BOARD_PENDING] = { '.', "pending" },
	[BOARD_FAILING] = { '!', "failing" },
	[BOARD_TERMINATING] = { 'x', "terminating" },
};

/* More pods than this in a group are written as counts only. */
#define PLAIN_BLOCKS_MAX 60

char board_state_char(enum board_state s)
{
	return states[s].letter;
}

const char *board_state_name(enum board_state s)
{
	return states[s].name;
}

const char *board_version_label(int32_t version, char *buf, size_t n)
{
	if (version == BOARD_OLD)
		snprintf(buf, n, "old");
	else if (version == BOARD_NEW)
		snprintf(buf, n, "new");
	else
		snprintf(buf, n, "v%" PRId32, version + 1);
	return buf;
}

const char *board_version_image(const struct board_run *r, int32_t version)
{
	if (version < 0 || (size_t)version >= r->cfg->n_images)
		return "";
	return r->cfg->images[version].name;
}

static void plain_header(const struct board_run *r, FILE *out)
{
	const struct world_config *cfg = r->cfg;
	char lab[16];
	size_t i;
	int s;

	fprintf(out, "board of deployment \"%s\" (scenario %s, seed %" PRIu64
		")\n", cfg->deployment.name, cfg->name, cfg->seed);
	if (r->per_pod) {
		fprintf(out, "versions:");
		for (i = 0; i < cfg->n_images; i++)
			fprintf(out, "%s %s = %s", i ? "," : "",
				board_version_label((int32_t)i, lab,
						    sizeof(lab)),
				cfg->images[i].name);
		fprintf(out, "\n");
	} else {
		fprintf(out, "versions: old and new ReplicaSets (from the "
			"counts)\n");
	}
	fprintf(out, "pods:");
	for (s = 0; s < BOARD_NSTATES; s++)
		fprintf(out, "%s %c %s", s ? "," : "", states[s].letter,
			states[s].name);
	fprintf(out, "\n");
}

/* "  v2 web:2.0  ##o.  (2 ready, 1 not ready, 1 pending)"; with a
 * progressive strategy the role first: "  canary  v2 web:2.0  ##  (...)" */
static void plain_group(const struct board_run *r,
			const struct board_frame *f,
			const struct board_group *g, FILE *out)
{
	int32_t total = 0, k;
	char lab[16];
	const char *sep = "", *role = board_group_role(r, f, g);
	int s;

	for (s = 0; s < BOARD_NSTATES; s++)
		total += g->n[s];
	if (*role)
		fprintf(out, "  %-7s", role);
	fprintf(out, "  %s", board_version_label(g->version, lab,
						 sizeof(lab)));
	if (*board_version_image(r, g->version))
		fprintf(out, " %s", board_version_image(r, g->version));
	fprintf(out, "  ");
	for (s = 0; s < BOARD_NSTATES && total <= PLAIN_BLOCKS_MAX; s++)
		for (k = 0; k < g->n[s]; k++)
			fputc(states[s].letter, out);
	fprintf(out, "%s(", total <= PLAIN_BLOCKS_MAX ? "  " : "");
	for (s = 0; s < BOARD_NSTATES; s++)
		if (g->n[s]) {
			fprintf(out, "%s%" PRId32 " %s", sep, g->n[s],
				states[s].name);
			sep = ", ";
		}
	fprintf(out, ")\n");
}

/* The pods against the rolling update's bounds (Argo canary's own
 * maxSurge and maxUnavailable; blueGreen and Flagger have none). */
static void plain_bounds(const struct board_frame *f, FILE *out)
{
	const struct world_counts *c = &f->counts;
	int32_t active = c->old_pods + c->new_pods;
	int bounded = f->strategy == STRATEGY_ROLLING_UPDATE ||
		      f->strategy == STRATEGY_CANARY;

	fprintf(out, "  pods %" PRId32, active);
	if (f->strategy == STRATEGY_RECREATE)
		fprintf(out, " of %" PRId32 " (Recreate: no surge, the old "
			"pods go first)", f->replicas);
	else if (f->strategy == STRATEGY_BLUE_GREEN)
		fprintf(out, " of %" PRId32 " (BlueGreen: the preview pods "
			"come beside the active ones)", f->replicas);
	else if (f->strategy == STRATEGY_FLAGGER)
		fprintf(out, " of %" PRId32 " (Flagger: the canary runs "
			"beside the primary)", f->replicas);
	else
		fprintf(out, ", at most %" PRId32 " = %" PRId32
			" + maxSurge %" PRId32, deploy_max_total(f->replicas,
								 f->surge),
			f->replicas, f->surge);
	fprintf(out, "; available %" PRId32, c->available);
	if (bounded)
		fprintf(out, ", at least %" PRId32 " = %" PRId32
			" - maxUnavailable %" PRId32,
			f->replicas - f->unavailable, f->replicas,
			f->unavailable);
	fprintf(out, "; terminating %" PRId32 "\n", c->terminating);
}

/* Each line of a multi-line text, after its label. */
static void plain_lines(const char *label, const char *text, FILE *out)
{
	const char *p = text;

	if (!*text)
		return;
	while (*p) {
		const char *e = strchr(p, '\n');
		int n = e ? (int)(e - p) : (int)strlen(p);

		fprintf(out, "  %s: %.*s\n", label, n, p);
		p += n + (e != NULL);
	}
}

/* A progressive rollout's weight, step or Services (board_prog.c). */
static void plain_prog(const struct board_run *r, const struct board_frame *f,
		       FILE *out)
{
	struct board_prog_line l[BOARD_PROG_LINES];
	int i, n = board_prog_lines(r, f, l, BOARD_PROG_LINES);

	for (i = 0; i < n; i++)
		fprintf(out, "  %s: %s\n", l[i].label, l[i].text);
}

static void plain_frame(const struct board_run *r,
			const struct board_frame *f, FILE *out)
{
	const struct board_tick *k = board_tick_at(r, f->t_ns);
	uint32_t i;

	fprintf(out, "\nt=%" PRId64 ".%03" PRId64 "s%s\n",
		f->t_ns / SIM_NS_PER_S,
		f->t_ns % SIM_NS_PER_S / 1000000,
		f->decided ? "  (controller decision)" : "");
	for (i = 0; i < f->ng; i++)
		plain_group(r, f, &r->groups[f->g0 + i], out);
	if (!f->ng)
		fprintf(out, "  (no pods)\n");
	plain_prog(r, f, out);
	plain_bounds(f, out);
	if (r->n_ticks)
		fprintf(out, "  traffic: %" PRIu64 " requests/s, %" PRIu64
			" errors/s\n", k ? k->requests : 0,
			k ? k->errors : 0);
	plain_lines("status", board_text(r, f->status), out);
	plain_lines("decision", board_text(r, f->decision), out);
	plain_lines("why", board_text(r, f->why), out);
}

int board_print_plain(const struct board_run *r, FILE *out,
		      struct rsim_error *err)
{
	size_t i;

	plain_header(r, out);
	for (i = 0; i < r->n_frames; i++)
		plain_frame(r, &r->frames[i], out);
	(void)err;      /* a failed write is main's to report */
	return 0;
}
