/* all.h - the toolkit's core: shared by nifasm, cpu8 and rvm.
 *
 * Memory: growable vectors with 32-bit indices and byte buffers, never a
 * malloc per node.  Names: one interner turns every spelling into a dense
 * 32-bit id.
 * Failure: user errors go through diag (file:line:col, caret, exit 1);
 * internal bugs go through die()/ASSERT, which name the source line.
 */
#ifndef ALL_H
#define ALL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t i8;
typedef int16_t i16;
typedef int32_t i32;
typedef int64_t i64;

#define NONE ((u32)-1)
#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* v rounded up to a multiple of a (a > 0). */
static inline u64 align_up(u64 v, u64 a) { return (v + a - 1) / a * a; }

/* A byte inside a UTF-8 character, not its first: text is cut before
 * a character, never in it. */
static inline bool utf8_continuation(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

/* ---- internal bugs ------------------------------------------------------ */

_Noreturn void die_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define die(...) die_at(__FILE__, __LINE__, __VA_ARGS__)
#define ASSERT(c) ((c) ? (void)0 : die("assertion failed: %s", #c))

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);

/* ---- growable vectors ---------------------------------------------------
 * A vector is any struct with fields `v` (element pointer), `n` and `cap`
 * (u32).  VEC(T) declares one inline.
 */
#define VEC(T)            \
	struct {          \
		T *v;     \
		u32 n, cap; \
	}
void vec_grow_(void **v, u32 *cap, size_t elem, u32 need);
#define vec_reserve(vec, extra)                                              \
	((vec)->n + (u32)(extra) > (vec)->cap                                \
	     ? vec_grow_((void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v), \
			 (vec)->n + (u32)(extra))                            \
	     : (void)0)
#define vec_push(vec, x) (vec_reserve((vec), 1), (vec)->v[(vec)->n++] = (x))
/* Grows a vector indexed by ids (of names, labels) until it holds index
 * k, filling the new entries with `fill`; k and fill are evaluated more
 * than once. */
#define vec_cover(vec, k, fill)                                         \
	do {                                                            \
		if ((vec)->n <= (u32)(k)) {                             \
			vec_reserve((vec), (u32)(k) + 1 - (vec)->n);     \
			while ((vec)->n <= (u32)(k))                    \
				(vec)->v[(vec)->n++] = (fill);          \
		}                                                       \
	} while (0)
#define vec_last(vec) ((vec)->v[(vec)->n - 1])
#define vec_free(vec) (free((vec)->v), (vec)->v = NULL, (vec)->n = (vec)->cap = 0)
typedef VEC(u32) U32Vec;

/* ---- byte buffers: append-only output sections -------------------------- */

typedef struct Buf {
	u8 *p;
	size_t n, cap;
} Buf;

void buf_grow_(Buf *b, size_t need);
static inline u8 *buf_room(Buf *b, size_t n)
{
	if (UNLIKELY(b->n + n > b->cap))
		buf_grow_(b, b->n + n);
	return b->p + b->n;
}
static inline void buf_put(Buf *b, const void *p, size_t n)
{
	if (n == 0) /* p may be NULL */
		return;
	memcpy(buf_room(b, n), p, n);
	b->n += n;
}
static inline void buf_byte(Buf *b, u8 x) { *buf_room(b, 1) = x, b->n++; }
void buf_le(Buf *b, u64 v, int nbytes);
/* Writes v as an nbytes little-endian number at p, in place (buf_le
 * appends). */
static inline void put_le(u8 *p, u64 v, int nbytes)
{
	for (int i = 0; i < nbytes; i++, v >>= 8)
		p[i] = (u8)v;
}
/* Reads back what buf_le wrote: an nbytes little-endian number at p. */
static inline u64 get_le(const u8 *p, int nbytes)
{
	u64 v = 0;
	for (int i = nbytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}
void buf_zero(Buf *b, size_t n);
void buf_align(Buf *b, size_t align);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_free(Buf *b);
/* Writes the buffer's bytes to f (nothing when it is empty). */
void buf_write(const Buf *b, void *f);

/* ---- interned names ----------------------------------------------------- */

/* Every name is stored once in `chars` as an 8-byte aligned entry
 * [u32 len][u32 id][bytes][NUL][pad], so comparing a candidate touches one
 * cache line.  names.v[id] is the entry's offset. */
typedef struct Interner {
	VEC(u32) names;
	VEC(char) chars;
	u8 *tags;   /* per slot: 0x80 | the hash's top 7 bits; 0 is empty */
	u32 *slots; /* per slot: entry offset / 8 */
	u32 mask;
	void *memo; /* the NIF reader's name memo for this interner (freed with it) */
} Interner;

/* Hashing and the reader's name scanning load 8 bytes at a time and mask
 * them, taking the first byte as the lowest. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "nifasm assumes a little-endian host"
#endif

/* The 8 bytes at p as a word, the first byte lowest. */
static inline u64 load_u64(const void *p)
{
	u64 w;
	memcpy(&w, p, 8);
	return w;
}

/* The first n bytes of a word from load_u64, the others zero (1 <= n <= 8). */
static inline u64 first_bytes(u64 w, u32 n)
{
	return w & (~0ull >> (64 - 8 * n));
}

#define HASH_K1 0x9E3779B97F4A7C15ull
#define HASH_K2 0xFF51AFD7ED558CCDull

static inline u64 hash_mix(u64 h, u64 w)
{
	h = (h ^ w) * HASH_K2;
	return h ^ (h >> 29);
}

/* Final avalanche, so the low bits used for the table index depend on
 * every input byte. */
static inline u32 hash_final(u64 h)
{
	h *= HASH_K1;
	return (u32)(h >> 32);
}

/* The part both hashes share: the length, then the whole 8-byte words of
 * s[0..n).  Leaves *s and *n at the tail (fewer than 8 bytes). */
static inline u64 hash_words(const char **s, size_t *n)
{
	u64 h = *n * HASH_K1;
	for (; *n >= 8; *s += 8, *n -= 8)
		h = hash_mix(h, load_u64(*s));
	return h;
}

/* Hash of a name, 8 bytes at a time.  The tail word is the remaining bytes
 * zero-extended, so hash_padded (which may read past the end) agrees. */
static inline u32 hash_bytes(const char *s, size_t n)
{
	u64 h = hash_words(&s, &n);
	if (n) {
		u64 w = 0;
		memcpy(&w, s, n);
		h = hash_mix(h, w);
	}
	return hash_final(h);
}

/* hash_bytes for text that is readable for 8 bytes past s + n: the tail is
 * one whole load, masked. */
static inline u32 hash_padded(const char *s, size_t n)
{
	u64 h = hash_words(&s, &n);
	if (n)
		h = hash_mix(h, first_bytes(load_u64(s), (u32)n));
	return hash_final(h);
}

/* A name's id, the name added if it is new.  The names' bytes (16 for a
 * name of up to 7 bytes) may take 2 GiB.  intern is for the names a tool
 * makes itself, and dies past that; intern_input is for names from the
 * input, and returns NONE for a new name once they would take more than
 * 2 GiB less 1 MiB, which the caller reports as the input's error (so
 * intern's die stays a bug; intern_at, below, reports it at a word of a
 * source file).  intern_lookup adds nothing: NONE for a new name. */
void intern_init(Interner *in);
u32 intern_h(Interner *in, const char *s, u32 len, u32 hash);
static inline u32 intern(Interner *in, const char *s, u32 len)
{
	return intern_h(in, s, len, hash_bytes(s, len));
}
u32 intern_input(Interner *in, const char *s, u32 len);
/* intern_input for text that is readable for 8 bytes past s + len. */
u32 intern_input_padded(Interner *in, const char *s, u32 len);
u32 intern_lookup(Interner *in, const char *s, u32 len);
static inline const char *name_str(const Interner *in, u32 id)
{
	return in->chars.v + in->names.v[id] + 8;
}
static inline u32 name_len(const Interner *in, u32 id)
{
	u32 len;
	memcpy(&len, in->chars.v + in->names.v[id], 4);
	return len;
}
void intern_free(Interner *in);

/* ---- files -------------------------------------------------------------- */

/* Reads a whole regular file; the text is followed by 8 NUL bytes so
 * scanners may look ahead without bounds checks.  Big files are mapped,
 * small ones read; release_file frees either.  Returns false (errno set:
 * EINVAL when the path is not a regular file) on failure. */
bool read_file(const char *path, char **text, u32 *len);
/* The reason for read_file's failure err, for a message. */
const char *file_error(int err);
void release_file(const char *text, u32 len);
/* Writes an output file with the given mode, whole or not at all: over
 * the old file when PATH is a regular file of ours with one name (which is
 * removed if the writing fails), else to PATH.tmp.PID and renamed.  A PATH
 * that exists and is not a regular file (/dev/null, a pipe) is written in
 * place, so that it stays what it is. */
bool write_output_file(const char *path, const void *data, size_t n, int mode);
/* The same for a file made of pieces, written one after the other (so a
 * large file need not be assembled in memory first). */
typedef struct Piece {
	const void *p;
	size_t n;
} Piece;
bool write_output_pieces(const char *path, const Piece *pieces, u32 npieces, int mode);
/* Writes the pieces to an open fd, one after the other (retrying short
 * writes); false with errno set on failure.  A piece of 0 bytes is
 * skipped, so its p may be NULL. */
bool write_pieces(int fd, const Piece *pieces, u32 npieces);

/* ---- diagnostics: user errors ------------------------------------------- */

typedef struct SrcFile {
	const char *path;
	const char *text;
	u32 len;
	u32 *line_starts; /* built on the first diagnostic */
	u32 nlines;
} SrcFile;

typedef struct LineCol {
	u32 line, col; /* both 1-based */
} LineCol;

LineCol src_linecol(SrcFile *f, u32 pos);

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagKind;

/* Where a generated file's node came from (NIF line information). */
typedef struct Origin {
	const char *file; /* NULL when unknown */
	u32 filelen;
	i32 line, col;
} Origin;

extern int diag_error_count;
extern bool diag_werror;

void diag_at(DiagKind k, SrcFile *f, u32 pos, const Origin *org, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void vdiag_at(DiagKind k, SrcFile *f, u32 pos, const Origin *org, const char *fmt,
	      va_list ap);
#define error_at(f, pos, ...) diag_at(DIAG_ERROR, f, pos, NULL, __VA_ARGS__)
#define warning_at(f, pos, ...) diag_at(DIAG_WARNING, f, pos, NULL, __VA_ARGS__)
#define note_at(f, pos, ...) diag_at(DIAG_NOTE, f, pos, NULL, __VA_ARGS__)
/* Capture: while diag_capture is set, diagnostics are kept in it as
 * records instead of being printed (a worker process collects them so that
 * its parent prints them in source order), and diag_on_limit, when set,
 * runs instead of exit(1) once the error limit is reached. */
extern Buf *diag_capture;
extern void (*diag_on_limit)(void);
/* Prints captured records and counts their errors, stopping at the limit
 * as if they had been reported here. */
void diag_replay(const u8 *records, size_t n, const char *path);
/* An error that has no position (a missing file, a bad option). */
void error_plain(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The input's error when intern_input returns NONE. */
#define INTERN_FULL_MESSAGE "too many distinct names: they take more than 2 GiB"
/* intern_input_padded for the word at pos in f (whose text is padded);
 * NONE, reported there as the input's error, when it does not fit. */
u32 intern_at(Interner *in, SrcFile *f, u32 pos, u32 len);

#endif
