/* cli_util.h - helpers for tests that drive the rollsim command.
 *
 * The binary under test is $ROLLSIM (the Makefile sets it; default
 * ./rollsim); tests run from the repository root.
 */
#ifndef RSIM_TEST_CLI_UTIL_H
#define RSIM_TEST_CLI_UTIL_H

#include <cjson/cJSON.h>

struct cli_result {
	int status;      /* exit status, -1 if it did not exit normally */
	char *out;       /* stdout, malloc'ed */
	char *err;       /* stderr, malloc'ed */
};

/* Runs "$ROLLSIM args" through the shell; args is used verbatim. */
void cli_run(struct cli_result *r, const char *args);
void cli_result_free(struct cli_result *r);

/* A fresh empty directory under /tmp (malloc'ed path). */
char *cli_tmpdir(void);
/* rm -rf path */
void cli_rmrf(const char *path);
/* Whole file, malloc'ed, or NULL; *n gets the length. */
char *cli_slurp(const char *path, long *n);
/* Writes text to path. Returns 0 on success. */
int cli_write(const char *path, const char *text);
/* Writes text to a scenario file in a fresh directory, runs "$ROLLSIM
 * CMD FILE ARGS", removes the directory. Returns 0, or -1 when the file
 * could not be written (nothing run). */
int cli_run_text(struct cli_result *r, const char *text, const char *cmd,
		 const char *args);
/* The number at a dotted path of a JSON object (NaN if absent). */
double cli_json_number(const cJSON *root, const char *dotted);
/* 1 true, 0 false, -1 absent or not a boolean. */
int cli_json_bool(const cJSON *root, const char *dotted);

#endif
