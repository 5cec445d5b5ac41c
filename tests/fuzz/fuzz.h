/* fuzz.h - the loaders as fuzz targets: bytes in, a clean result out.
 *
 * Each fuzz_* function feeds arbitrary bytes to one reader of untrusted
 * input the way the command does, and returns 0. It aborts (a crash for
 * the fuzzer and for Criterion) when the reader breaks its contract:
 * a result other than success or RSIM_EINPUT, an error record that does
 * not match the result or is not one printable line, a plan whose
 * numbers the sweep code could not use. Sanitizers catch the rest
 * (leaks, overflows, undefined behaviour). Nothing is written to disk;
 * inputs reach the file readers through memfd files (/proc/self/fd/N).
 *
 * Built twice: into the Criterion suite, which replays tests/fuzz/corpus
 * and tests/fuzz/regress (test_fuzz_replay.c), and with entry.c into one
 * libFuzzer binary per target (make fuzz).
 */
#ifndef RSIM_FUZZ_H
#define RSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim/core/err.h"

/* A scenario file: scenario_load_file and sweep_plan_build (run,
 * validate and sweep read it this way). */
int fuzz_scenario(const uint8_t *data, size_t n);
/* A Kubernetes manifest file (YAML, or JSON when it starts with '{')
 * named by a scenario's deployment.manifest. */
int fuzz_manifest(const uint8_t *data, size_t n);
/* A sweep.json, read back as merge and --resume do. */
int fuzz_sweepjson(const uint8_t *data, size_t n);
/* --set PATH=VALUE lines applied to a small scenario, then loaded. */
int fuzz_setpath(const uint8_t *data, size_t n);

/* One-time set-up (allocator hooks, GSL's error handler). */
void fuzz_init(void);

/* Puts data into the memfd slot (0 or 1, created on first use) and
 * returns its path "/proc/self/fd/N" (a static buffer per slot). */
const char *fuzz_memfile(int slot, const void *data, size_t n);

/* Aborts unless rc is 0 or RSIM_EINPUT and err agrees with it (code set,
 * one line of printable text). what names the call in the message. */
void fuzz_check_result(int rc, const struct rsim_error *err, const char *what);
/* Aborts unless line is non-empty and free of control characters
 * (below 0x20: a newline or an escape would break the one-line error). */
void fuzz_check_line(const char *line, const char *what);

/* Points every manifest a scenario tree names (any member whose key
 * contains "manifest", strings inside it included) at a fixed valid
 * manifest (memfd slot 1), so that no input can make the loader read
 * another file. Returns the number of strings replaced. */
int fuzz_redirect_manifests(cJSON *root);

/* Aborts unless plan is one the sweep code can run: points, a baseline
 * among them, a run count within int32_t, variant indices in range, and
 * one printable line for each invalid point. */
struct sweep_plan;
void fuzz_check_plan(const struct sweep_plan *p);

/* The points of the sweep grid a scenario tree asks for (variants x
 * the sizes of the vary lists). A plan loads every point, so a target
 * builds a plan of at most FUZZ_GRID_MAX points (one of 1000 points is a
 * legitimate input slower than the time limit); a grid too large for
 * int32_t must still be refused at once. fuzz_plan_too_slow tells. */
#define FUZZ_GRID_MAX 64
double fuzz_grid_points(const cJSON *root);
int fuzz_plan_too_slow(const cJSON *root);

/* Prints "fuzz: what" and aborts when cond is false. */
#define FUZZ_CHECK(cond, what) fuzz_check((cond), (what), __FILE__, __LINE__)
void fuzz_check(int cond, const char *what, const char *file, int line);

#endif
