/* strbuf.h - a growable, NUL-terminated byte string.
 *
 * The buffer grows through rsim_realloc (so the allocation failure tests
 * reach it) and every function that may grow it returns 0 or RSIM_ENOMEM;
 * on failure the string keeps what it held before the call. Once a strbuf
 * has grown, buf[len] is '\0'; an empty STRBUF_INIT string's buf points at
 * a shared, read-only "" (never write through it, never free it).
 * Embedded NUL bytes are allowed (len counts them).
 */
#ifndef RSIM_STRBUF_H
#define RSIM_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;    /* the bytes, NUL-terminated */
	size_t len;   /* bytes in use, not counting the NUL */
	size_t alloc; /* bytes allocated; 0 while buf is the shared "" */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

/* sb = STRBUF_INIT. */
void strbuf_init(struct strbuf *sb);

/* Makes room for extra more bytes (and the NUL) without a further
 * allocation. 0 or RSIM_ENOMEM (also when len + extra overflows). */
int strbuf_grow(struct strbuf *sb, size_t extra);

/* Appends n bytes of data. 0 or RSIM_ENOMEM. */
int strbuf_add(struct strbuf *sb, const void *data, size_t n);

/* Appends the string s. 0 or RSIM_ENOMEM. */
int strbuf_addstr(struct strbuf *sb, const char *s);

/* Appends one byte. 0 or RSIM_ENOMEM. */
int strbuf_addch(struct strbuf *sb, int c);

/* Appends printf-style output. 0 or RSIM_ENOMEM (RSIM_EINTERNAL when
 * vsnprintf fails on the format). */
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Empties the string, keeping its memory. */
void strbuf_reset(struct strbuf *sb);

/* Frees the memory; sb is STRBUF_INIT afterwards. */
void strbuf_release(struct strbuf *sb);

/* Hands the bytes over to the caller (free() them) and leaves sb as
 * STRBUF_INIT; *len (when not NULL) gets the length. An empty string that
 * never grew is allocated here: NULL when that fails. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
