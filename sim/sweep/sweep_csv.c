/* sweep_csv.c - CSV text of runs.csv and summary.csv (sweep_csv.h). */
#include "sweep_csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/report.h"

void sweep_csv_add(struct sweep_buf *b, const char *t)
{
	if (strbuf_addstr(&b->sb, t))
		b->oom = 1;
}

char *sweep_buf_finish(struct sweep_buf *b)
{
	char *s = b->oom ? NULL : strbuf_detach(&b->sb, NULL);

	strbuf_release(&b->sb);
	b->oom = 0;
	return s;
}

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
void sweep_csv_field(struct sweep_buf *b, const char *t, int first)
{
	const char *c;
	char q[2] = { 0, 0 };

	if (!first)
		sweep_csv_add(b, ",");
	if (!strpbrk(t, ",\"\n\r")) {
		sweep_csv_add(b, t);
		return;
	}
	sweep_csv_add(b, "\"");
	for (c = t; *c; c++) {
		q[0] = *c;
		sweep_csv_add(b, *c == '"' ? "\"\"" : q);
	}
	sweep_csv_add(b, "\"");
}

void sweep_csv_number(struct sweep_buf *b, double v)
{
	char t[64];

	if (isnan(v)) {
		sweep_csv_add(b, ",");
		return;
	}
	report_format_seconds(t, sizeof(t), v);
	sweep_csv_add(b, ",");
	sweep_csv_add(b, t);
}

void sweep_csv_point(struct sweep_buf *b, const struct sweep_plan *p,
			 int32_t point, int first)
{
	const struct sweep_point *pt = &p->points[point];
	char t[32];
	int32_t i;

	snprintf(t, sizeof(t), "%d", point);
	sweep_csv_field(b, t, first);
	sweep_csv_field(b, pt->variant >= 0 ? p->variant_names[pt->variant] : "",
		  0);
	for (i = 0; i < p->n_vary; i++) {
		const cJSON *v = cJSON_GetArrayItem(pt->values, i);
		char *txt = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);

		if (v && !cJSON_IsString(v) && !txt)
			b->oom = 1;
		sweep_csv_field(b, cJSON_IsString(v) ? v->valuestring
					       : (txt ? txt : ""), 0);
		free(txt);
	}
}

int sweep_csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *r = line, *w;

	while (n < max) {
		fields[n++] = w = r;
		if (*r == '"') {
			for (r++; *r; r++) {
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			if (*r == '"')
				r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r != ',') {
			*w = '\0';
			break;
		}
		r++;
		*w = '\0';
	}
	return n;
}

void sweep_csv_header_common(struct sweep_buf *b, const struct sweep_plan *p)
{
	int32_t i;

	sweep_csv_field(b, SWEEP_COL_POINT, 1);
	sweep_csv_field(b, SWEEP_COL_VARIANT, 0);
	for (i = 0; i < p->n_vary; i++)
		sweep_csv_field(b, p->vary_paths[i], 0);
}
