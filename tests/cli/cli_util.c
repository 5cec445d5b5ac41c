/* cli_util.c - run the rollsim command from tests, read what it wrote. */
#include "cli_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

char *cli_slurp(const char *path, long *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	if (n)
		*n = len;
	return buf;
}

int cli_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs(text, f) < 0;
	rc |= fclose(f) != 0;
	return rc;
}

int cli_run_text(struct cli_result *r, const char *text, const char *cmd,
		 const char *args)
{
	char *dir = cli_tmpdir(), file[1200], line[2600];
	int rc = -1;

	if (!dir)
		return -1;
	snprintf(file, sizeof(file), "%s/web.json", dir);
	if (cli_write(file, text) == 0) {
		snprintf(line, sizeof(line), "%s %s %s", cmd, file, args);
		cli_run(r, line);
		rc = 0;
	}
	cli_rmrf(dir);
	free(dir);
	return rc;
}

char *cli_tmpdir(void)
{
	char tmpl[] = "/tmp/rollsim-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

void cli_rmrf(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
}

void cli_run(struct cli_result *r, const char *args)
{
	const char *bin = getenv("ROLLSIM") ? getenv("ROLLSIM") : "./rollsim";
	char *dir = cli_tmpdir();
	char out[1200], err[1200], *cmd;
	size_t n;
	int st;

	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	/* args may be long (paths near PATH_MAX): never cut the command */
	n = strlen(bin) + strlen(args) + strlen(out) + strlen(err) + 8;
	cmd = malloc(n);
	if (!cmd)
		abort();
	snprintf(cmd, n, "%s %s >%s 2>%s", bin, args, out, err);
	st = system(cmd);
	free(cmd);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = cli_slurp(out, NULL);
	r->err = cli_slurp(err, NULL);
	cli_rmrf(dir);
	free(dir);
}

void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
}

static const cJSON *json_at(const cJSON *root, const char *dotted)
{
	char buf[256], *tok, *save = NULL;
	const cJSON *o = root;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, tok);
	return o;
}

double cli_json_number(const cJSON *root, const char *dotted)
{
	const cJSON *o = json_at(root, dotted);

	return cJSON_IsNumber(o) ? o->valuedouble : (double)NAN;
}

int cli_json_bool(const cJSON *root, const char *dotted)
{
	const cJSON *o = json_at(root, dotted);

	return cJSON_IsBool(o) ? cJSON_IsTrue(o) : -1;
}
