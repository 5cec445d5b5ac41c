/* test_template.c - the pod template's fields (models/tmpl_field.h).
 *
 * The table: every TMPL_* bit has exactly one row and every row one bit;
 * rows do not overlap; the loader reads each row's key into its field.
 * JSON in this file is written with ' for ".
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/tmpl_field.h"
#include "../../models/world.h"
#include "../../sim/scenario.h"

/* --------------------------------------------------------- the table */

Test(template, every_bit_has_one_row_and_every_row_one_bit)
{
	uint32_t seen = 0;
	size_t i, j;
	int b;

	for (b = 0; b < 32; b++) {
		uint32_t bit = 1u << b;
		int rows = 0;

		for (i = 0; i < TMPL_FIELD_COUNT; i++)
			rows += tmpl_fields[i].bit == bit;
		cr_expect_eq(rows, (TMPL_ALL & bit) ? 1 : 0,
			     "bit %d: %d rows", b, rows);
	}
	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];

		cr_expect(f->bit && (f->bit & (f->bit - 1)) == 0,
			  "%s: not one bit (%#x)", f->key, (unsigned)f->bit);
		cr_expect_eq(seen & f->bit, 0, "%s: bit taken", f->key);
		seen |= f->bit;
		cr_expect_eq(tmpl_field_find(f->key), f, "%s", f->key);
		cr_expect_leq(f->offset + f->size, sizeof(struct image_config),
			      "%s", f->key);
		cr_expect_geq(f->offset, sizeof(((struct image_config *)0)->name),
			      "%s overlaps the name", f->key);
		for (j = 0; j < i; j++) {
			const struct tmpl_field *g = &tmpl_fields[j];

			cr_expect(f->offset + f->size <= g->offset ||
				  g->offset + g->size <= f->offset,
				  "%s overlaps %s", f->key, g->key);
		}
	}
	cr_expect_eq(seen, TMPL_ALL);
	cr_expect_null(tmpl_field_find("name"));
}

/* A JSON value of each kind that differs from image_config_defaults. */
static const char *value_of(enum tmpl_kind k)
{
	switch (k) {
	case TMPL_KIND_DIST:
		return "{'dist':'empirical','samples':['1s','2s']}";
	case TMPL_KIND_PROBE:
		return "{'periodSeconds':3}";
	case TMPL_KIND_SECONDS:
		return "7";
	case TMPL_KIND_DURATION:
		return "'1500ms'";
	case TMPL_KIND_INT:
		return "5";
	case TMPL_KIND_BOOL:
		return "true";
	case TMPL_KIND_PROBABILITY:
		return "0.25";
	case TMPL_KIND_CRASH:
		return "{'after':'9s'}";
	case TMPL_KIND_REQUESTS:
		return "{'cpu':'250m'}";
	case TMPL_KIND_PULL_POLICY:
		return "'Always'";
	case TMPL_KIND_WARMUP:
		return "{'duration':'30s','factor':2}";
	case TMPL_KIND_QUEUE:
		return "'unlimited'";
	}
	return "null";
}

/* The loader reads every row's key, in a deployment, into its field and
 * marks its bit (and only its bit). */
Test(template, the_loader_reads_every_row)
{
	size_t i;

	for (i = 0; i < TMPL_FIELD_COUNT; i++) {
		const struct tmpl_field *f = &tmpl_fields[i];
		struct rs_error err = { 0 };
		struct world_config cfg;
		struct image_config def;
		char sq[512], line[512], *c;
		int rc;

		snprintf(sq, sizeof(sq), "{'deployment':{'image':'a','%s':%s},"
			 "'images':{'a':{}}}", f->key, value_of(f->kind));
		for (c = sq; *c; c++)
			if (*c == '\'')
				*c = '"';
		rc = scenario_load_string(sq, "t.json", &cfg, &err);
		rs_error_format(&err, line, sizeof(line));
		cr_assert_eq(rc, 0, "%s: %s", f->key, line);
		cr_expect_eq(cfg.deployment.tmpl.mask, f->bit, "%s: mask %#x",
			     f->key, (unsigned)cfg.deployment.tmpl.mask);
		image_config_defaults(&def, NULL);
		cr_expect_not(tmpl_field_equal(f, &cfg.deployment.tmpl.v, &def),
			      "%s: the field keeps its default", f->key);
		image_config_release(&def);
		world_config_release(&cfg);
	}
}
