/* mgi_priv.h - what mgi.c shares with mgi_draw.c (not a public API). */
#ifndef RSIM_MGI_PRIV_H
#define RSIM_MGI_PRIV_H

#include "mgi.h"

/* G, Q, H, U of V at one point: P(V <= x), P(V > x), E[V; V <= x],
 * E[V; V > x] (left limits: P(V < x), P(V >= x), E[V; V < x],
 * E[V; V >= x]). */
struct mgi_pt {
	double G, Q, H, U;
};

/* An interval of served values: [p, q) or [p, q] (q = T), with the law's
 * left-limit values at p and its values at q (P(V < q) or P(V <= q)). */
struct mgi_ival {
	double p, q;
	double Gp, Hp, Gq, Hq;
};

void mgi_eval(const struct mgi_law *L, double x, int left,
	      struct mgi_pt *o);
/* mgi_eval with left limits where the law has atoms. */
void mgi_eval_left(const struct mgi_law *L, double x, struct mgi_pt *o);
/* 1 when the law has atoms (constant, empirical, degenerate). */
int mgi_atomic(const struct mgi_law *L);
/* Low edge of histogram bucket b as a value (0 for b <= 0, +inf for
 * b >= HIST_BUCKETS). */
double mgi_edge(int b);
/* The served values of bucket b, b in [L->b_lo, L->b_hi]. */
void mgi_ival_bucket(const struct mgi_law *L, int b, struct mgi_ival *I);

#endif
