/* test_core_util.c - the small shared utilities of sim/core: strbuf.h,
 * file.h (whole-file reads, path building) and hash.h (FNV-1a).
 *
 * Expected values are independent of the code under test: the FNV
 * results are the published test vectors of the FNV reference (Landon
 * Curt Noll's FNV test suite: "", "a", "foobar"); strings and paths are
 * written out by hand; file contents are what the test itself wrote.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/alloc.h"
#include "sim/core/err.h"
#include "sim/core/file.h"
#include "sim/core/hash.h"
#include "sim/core/strbuf.h"
#include "../cli/cli_util.h"

/* --- hash.h -------------------------------------------------------- */

Test(hash, fnv32a_matches_the_reference_vectors)
{
	cr_assert_eq(hash_fnv32a("", 0), 0x811c9dc5u);
	cr_assert_eq(hash_fnv32a("a", 1), 0xe40c292cu);
	cr_assert_eq(hash_fnv32a("foobar", 6), 0xbf9cf968u);
}

Test(hash, fnv64a_matches_the_reference_vectors)
{
	cr_assert_eq(hash_fnv64a("", 0), UINT64_C(0xcbf29ce484222325));
	cr_assert_eq(hash_fnv64a("a", 1), UINT64_C(0xaf63dc4c8601ec8c));
	cr_assert_eq(hash_fnv64a("foobar", 6),
		     UINT64_C(0x85944171f73967e8));
}

/* "foo" then "bar" hashes as "foobar" (vectors above). */
Test(hash, more_continues_a_hash)
{
	cr_assert_eq(hash_fnv32a_more(hash_fnv32a("foo", 3), "bar", 3),
		     0xbf9cf968u);
	cr_assert_eq(hash_fnv64a_more(hash_fnv64a("foo", 3), "bar", 3),
		     UINT64_C(0x85944171f73967e8));
	cr_assert_eq(hash_fnv32a_more(HASH_FNV32_OFFSET, "a", 1),
		     0xe40c292cu);
}

/* --- strbuf.h ------------------------------------------------------ */

Test(strbuf, starts_empty_and_nul_terminated)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
	cr_assert_eq(sb.alloc, 0);
}

Test(strbuf, appends_bytes_strings_chars_and_formats)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(strbuf_addstr(&sb, "ab"), 0);
	cr_assert_eq(strbuf_addch(&sb, 'c'), 0);
	cr_assert_eq(strbuf_add(&sb, "dexx", 2), 0);
	cr_assert_eq(strbuf_addf(&sb, "-%d-%s-%.2f", 42, "z", 0.5), 0);
	cr_assert_str_eq(sb.buf, "abcde-42-z-0.50");
	cr_assert_eq(sb.len, 15);
	cr_assert_gt(sb.alloc, sb.len);
	strbuf_release(&sb);
}

Test(strbuf, keeps_embedded_nul_bytes)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(strbuf_add(&sb, "a\0b", 3), 0);
	cr_assert_eq(sb.len, 3);
	cr_assert_eq(memcmp(sb.buf, "a\0b", 4), 0);
	strbuf_release(&sb);
}

/* 10,000 single bytes: the buffer must grow many times past its first
 * allocation, keep every byte and stay terminated. */
Test(strbuf, grows_past_many_reallocations)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < 10000; i++)
		cr_assert_eq(strbuf_addch(&sb, 'a' + (int)(i % 26)), 0);
	cr_assert_eq(sb.len, 10000);
	cr_assert_eq(sb.buf[10000], '\0');
	for (i = 0; i < 10000; i++)
		cr_assert_eq(sb.buf[i], 'a' + (int)(i % 26));
	strbuf_release(&sb);
}

/* A long formatted piece (longer than any first allocation). */
Test(strbuf, addf_writes_long_output)
{
	struct strbuf sb = STRBUF_INIT;
	char want[1001];

	memset(want, 'x', 1000);
	want[1000] = '\0';
	cr_assert_eq(strbuf_addstr(&sb, "<"), 0);
	cr_assert_eq(strbuf_addf(&sb, "%s>", want), 0);
	cr_assert_eq(sb.len, 1002);
	cr_assert_eq(sb.buf[0], '<');
	cr_assert_eq(memcmp(sb.buf + 1, want, 1000), 0);
	cr_assert_str_eq(sb.buf + 1001, ">");
	strbuf_release(&sb);
}

Test(strbuf, reset_keeps_memory_and_empties)
{
	struct strbuf sb = STRBUF_INIT;
	size_t alloc;

	cr_assert_eq(strbuf_addstr(&sb, "hello"), 0);
	alloc = sb.alloc;
	strbuf_reset(&sb);
	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.alloc, alloc);
	cr_assert_eq(strbuf_addstr(&sb, "hi"), 0);
	cr_assert_str_eq(sb.buf, "hi");
	strbuf_release(&sb);
}

Test(strbuf, detach_hands_over_the_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 0;
	char *s;

	cr_assert_eq(strbuf_addstr(&sb, "abc"), 0);
	s = strbuf_detach(&sb, &len);
	cr_assert_str_eq(s, "abc");
	cr_assert_eq(len, 3);
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(sb.alloc, 0);
	cr_assert_str_eq(sb.buf, "");
	free(s);
	s = strbuf_detach(&sb, &len);   /* never grown: still a real string */
	cr_assert_not_null(s);
	cr_assert_str_eq(s, "");
	cr_assert_eq(len, 0);
	free(s);
}

/* A failed growth reports RSIM_ENOMEM and leaves the string as it was. */
Test(strbuf, failed_growth_keeps_the_string)
{
	struct strbuf sb = STRBUF_INIT;
	char big[300];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(strbuf_addstr(&sb, "keep"), 0);
	rsim_alloc_fail_after(1);
	cr_assert_eq(strbuf_addstr(&sb, big), RSIM_ENOMEM);
	rsim_alloc_fail_after(0);
	cr_assert_str_eq(sb.buf, "keep");
	cr_assert_eq(sb.len, 4);
	rsim_alloc_fail_after(1);
	cr_assert_eq(strbuf_addf(&sb, "%s", big), RSIM_ENOMEM);
	rsim_alloc_fail_after(0);
	cr_assert_str_eq(sb.buf, "keep");
	strbuf_release(&sb);
}

Test(strbuf, size_overflow_is_refused)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(strbuf_addstr(&sb, "ab"), 0);
	cr_assert_eq(strbuf_grow(&sb, SIZE_MAX), RSIM_ENOMEM);
	cr_assert_eq(strbuf_grow(&sb, SIZE_MAX - 2), RSIM_ENOMEM);
	cr_assert_str_eq(sb.buf, "ab");
	strbuf_release(&sb);
}

/* --- file.h: file_read --------------------------------------------- */

/* Each file test works in its own fresh directory. */
static char *tmp;

static void tmp_make(void)
{
	tmp = cli_tmpdir();
	cr_assert_not_null(tmp);
}

static void tmp_remove(void)
{
}

TestSuite(file, .init = tmp_make, .fini = tmp_remove);

/* tmp/name holding text; its path into path[n]. */
static void write_tmp(const char *name, const char *text, char *path,
		      size_t n)
{
	cr_assert_eq(path_join(path, n, tmp, name), 0);
	cr_assert_eq(cli_write(path, text), 0, "cannot write %s", path);
}

Test(file, read_returns_the_bytes_nul_terminated)
{
	char path[1200], *text = NULL;
	size_t len = 0;

	write_tmp("a.txt", "line 1\nline 2\n", path, sizeof(path));
	cr_assert_eq(file_read(path, 1024, &text, &len), 0);
	cr_assert_eq(len, 14);
	cr_assert_str_eq(text, "line 1\nline 2\n");
	free(text);
	write_tmp("empty", "", path, sizeof(path));
	cr_assert_eq(file_read(path, 1024, &text, &len), 0);
	cr_assert_eq(len, 0);
	cr_assert_str_eq(text, "");
	free(text);
}

/* 10,000 bytes: several buffer doublings from the first 4 KiB. */
Test(file, read_a_file_larger_than_the_first_chunk)
{
	char path[1200], *text = NULL, *want;
	size_t len = 0, i;

	want = malloc(10001);
	cr_assert_not_null(want);
	for (i = 0; i < 10000; i++)
		want[i] = (char)('0' + i % 10);
	want[10000] = '\0';
	write_tmp("big", want, path, sizeof(path));
	cr_assert_eq(file_read(path, 10000, &text, &len), 0);
	cr_assert_eq(len, 10000);
	cr_assert_str_eq(text, want);
	free(text);
	free(want);
}

/* max is inclusive: 5 bytes read with max 5, refused with max 4. */
Test(file, read_refuses_more_than_max_bytes)
{
	char path[1200], *text = NULL;
	size_t len = 0;

	write_tmp("five", "12345", path, sizeof(path));
	cr_assert_eq(file_read(path, 5, &text, &len), 0);
	cr_assert_str_eq(text, "12345");
	free(text);
	text = NULL;
	cr_assert_eq(file_read(path, 4, &text, &len), EFBIG);
	cr_assert_null(text);
}

Test(file, read_reports_the_errno)
{
	char path[1200], *text = NULL;
	size_t len = 0;

	cr_assert_eq(path_join(path, sizeof(path), tmp, "missing"), 0);
	cr_assert_eq(file_read(path, 100, &text, &len), ENOENT);
	cr_assert_eq(file_read(tmp, 100, &text, &len), EISDIR);
	cr_assert_null(text);
}

Test(file, read_reports_enomem)
{
	char path[1200], *text = NULL;
	size_t len = 0;

	write_tmp("a", "abc", path, sizeof(path));
	rsim_alloc_fail_after(1);
	cr_assert_eq(file_read(path, 100, &text, &len), ENOMEM);
	rsim_alloc_fail_after(0);
	cr_assert_null(text);
}

/* --- file.h: paths ------------------------------------------------- */

Test(path, join_puts_a_slash_between)
{
	char out[16];

	cr_assert_eq(path_join(out, sizeof(out), "out/run", "a.csv"), 0);
	cr_assert_str_eq(out, "out/run/a.csv");
	cr_assert_eq(path_join(out, sizeof(out), "", "x"), 0);
	cr_assert_str_eq(out, "/x");
	/* "abcdefgh/ijklmno" is 16 bytes: one more than fits with the NUL */
	cr_assert_eq(path_join(out, sizeof(out), "abcdefgh", "ijklmno"), -1);
	cr_assert_eq(path_join(out, sizeof(out), "abcdefgh", "ijklmn"), 0);
	cr_assert_str_eq(out, "abcdefgh/ijklmn");
}

Test(path, beside_resolves_against_the_directory_of_file)
{
	char out[64];

	cr_assert_eq(path_beside(out, sizeof(out), "scenarios/a.json",
				 "m/dep.yaml"), 0);
	cr_assert_str_eq(out, "scenarios/m/dep.yaml");
	cr_assert_eq(path_beside(out, sizeof(out), "a.json", "dep.yaml"), 0);
	cr_assert_str_eq(out, "dep.yaml");
	cr_assert_eq(path_beside(out, sizeof(out), "x/a.json", "/abs/d.yaml"),
		     0);
	cr_assert_str_eq(out, "/abs/d.yaml");
	cr_assert_eq(path_beside(out, sizeof(out), "/a.json", "d.yaml"), 0);
	cr_assert_str_eq(out, "/d.yaml");
	cr_assert_eq(path_beside(out, sizeof(out), "a/b/c.json", "../d"), 0);
	cr_assert_str_eq(out, "a/b/../d");
}

Test(path, beside_fails_when_it_does_not_fit)
{
	char out[8];

	/* "dir/abcd" is 8 bytes: no room for the NUL */
	cr_assert_eq(path_beside(out, sizeof(out), "dir/f", "abcd"), -1);
	cr_assert_eq(path_beside(out, sizeof(out), "dir/f", "abc"), 0);
	cr_assert_str_eq(out, "dir/abc");
}
