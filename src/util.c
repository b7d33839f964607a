/* util.c - internal failure, memory, buffers, interning and file I/O. */
#include "all.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void die_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "internal error at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* ---- arena ---------------------------------------------------------------- */

struct ArenaChunk {
	ArenaChunk *next;
	max_align_t data[];
};

enum { ARENA_CHUNK = 64 * 1024 };

void *arena_alloc(Arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if ((size_t)(a->end - a->cur) < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		ArenaChunk *c = xmalloc(sizeof(ArenaChunk) + size);
		c->next = a->chunks;
		a->chunks = c;
		a->cur = (char *)c->data;
		a->end = a->cur + size;
	}
	void *p = a->cur;
	a->cur += n;
	return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void arena_free(Arena *a)
{
	while (a->chunks) {
		ArenaChunk *next = a->chunks->next;
		free(a->chunks);
		a->chunks = next;
	}
	a->cur = a->end = NULL;
}

/* ---- vectors and buffers -------------------------------------------------- */

void vec_grow_(void **v, u32 *cap, size_t elem, u32 need)
{
	u64 c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	if (c > UINT32_MAX)
		die("vector exceeds 2^32 elements");
	*v = xrealloc(*v, (size_t)c * elem);
	*cap = (u32)c;
}

void buf_grow_(Buf *b, size_t need)
{
	size_t c = b->cap ? b->cap : 256;
	while (c < need)
		c *= 2;
	b->p = xrealloc(b->p, c);
	b->cap = c;
}

void buf_le(Buf *b, u64 v, int nbytes)
{
	u8 *p = buf_room(b, (size_t)nbytes);
	for (int i = 0; i < nbytes; i++, v >>= 8)
		p[i] = (u8)v;
	b->n += (size_t)nbytes;
}

void buf_zero(Buf *b, size_t n)
{
	memset(buf_room(b, n), 0, n);
	b->n += n;
}

void buf_align(Buf *b, size_t align)
{
	buf_zero(b, (align - b->n % align) % align);
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = (char *)buf_room(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void buf_free(Buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* ---- interner --------------------------------------------------------------
 * Open hashing with chains threaded through the name vector; the table
 * doubles when the load factor reaches 1.
 */

void intern_init(Interner *in)
{
	memset(in, 0, sizeof *in);
	in->mask = 1023;
	in->table = xmalloc((in->mask + 1) * sizeof(u32));
	memset(in->table, 0xff, (in->mask + 1) * sizeof(u32));
}

static void intern_rehash(Interner *in)
{
	u32 size = (in->mask + 1) * 2;
	free(in->table);
	in->table = xmalloc(size * sizeof(u32));
	memset(in->table, 0xff, size * sizeof(u32));
	in->mask = size - 1;
	for (u32 id = 0; id < in->names.n; id++) {
		Name *nm = &in->names.v[id];
		nm->next = in->table[nm->hash & in->mask];
		in->table[nm->hash & in->mask] = id;
	}
}

u32 intern_h(Interner *in, const char *s, u32 len, u32 hash)
{
	for (u32 id = in->table[hash & in->mask]; id != NONE; id = in->names.v[id].next) {
		Name *nm = &in->names.v[id];
		if (nm->hash == hash && nm->len == len &&
		    memcmp(in->chars.v + nm->off, s, len) == 0)
			return id;
	}
	if (in->names.n > in->mask)
		intern_rehash(in);
	vec_reserve(&in->chars, len + 1);
	Name nm = {in->chars.n, len, hash, in->table[hash & in->mask]};
	memcpy(in->chars.v + in->chars.n, s, len);
	in->chars.v[in->chars.n + len] = 0;
	in->chars.n += len + 1;
	u32 id = in->names.n;
	vec_push(&in->names, nm);
	in->table[hash & in->mask] = id;
	return id;
}

void intern_free(Interner *in)
{
	vec_free(&in->names);
	vec_free(&in->chars);
	free(in->table);
	in->table = NULL;
}

/* ---- files ---------------------------------------------------------------- */

enum { TEXT_PAD = 8 };

bool read_file(const char *path, char **text, u32 *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size >= UINT32_MAX - TEXT_PAD) {
		if (errno == 0 || S_ISDIR(st.st_mode))
			errno = S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
		close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *p = xmalloc(size + TEXT_PAD);
	while (got < size) {
		ssize_t r = read(fd, p + got, size - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			size = got; /* the file shrank while we read it */
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	memset(p + size, 0, TEXT_PAD);
	*text = p;
	*len = (u32)size;
	return true;
}

bool write_file_atomic(const char *path, const void *data, size_t n, int mode)
{
	size_t plen = strlen(path);
	char *tmp = xmalloc(plen + 32);
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	bool ok = fd >= 0;
	for (size_t off = 0; ok && off < n;) {
		ssize_t w = write(fd, (const char *)data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	if (fd >= 0) {
		ok = fchmod(fd, (mode_t)mode) == 0 && ok;
		ok = close(fd) == 0 && ok;
	}
	ok = ok && rename(tmp, path) == 0;
	if (!ok && fd >= 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return ok;
}
