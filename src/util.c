/* util.c - internal failure, memory, buffers, interning and file I/O. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "all.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
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
	put_le(buf_room(b, (size_t)nbytes), v, nbytes);
	b->n += (size_t)nbytes;
}

void buf_zero(Buf *b, size_t n)
{
	if (n == 0)
		return;
	memset(buf_room(b, n), 0, n);
	b->n += n;
}

void buf_align(Buf *b, size_t align)
{
	buf_zero(b, align_up(b->n, align) - b->n);
}

/* Appends the formatted text; the byte after it is a NUL, not counted. */
void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *p = (char *)buf_room(b, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, again);
	va_end(again);
	b->n += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_write(const Buf *b, void *f)
{
	if (b->n)
		fwrite(b->p, 1, b->n, (FILE *)f);
}

void buf_free(Buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* ---- interner --------------------------------------------------------------
 * Open addressing with linear probing over two arrays: a byte per slot
 * holding 7 bits of the name's hash (0: empty), and the entry offset.  A
 * probe reads the bytes and touches an offset and the name only when the
 * 7 bits agree, so a name seen for the first time (most lookups that miss
 * the reader's memo) reads one byte array, 8 times smaller than a table of
 * 8-byte slots and so more often in the cache.  The table doubles at three
 * quarters load: probing bytes is cheap, and a smaller table caches better.
 */

static u8 slot_tag(u32 hash)
{
	return (u8)(0x80 | hash >> 25);
}

static void new_slots(Interner *in, u32 size)
{
	in->tags = xcalloc(size, 1);
	in->slots = xmalloc((size_t)size * sizeof(u32));
	in->mask = size - 1;
}

void intern_init(Interner *in)
{
	memset(in, 0, sizeof *in);
	new_slots(in, 4096);
}

/* Rebuilds the table twice as big; the hashes come from the names, whose
 * entries are padded for hash_padded. */
static void intern_rehash(Interner *in)
{
	free(in->tags);
	free(in->slots);
	new_slots(in, (in->mask + 1) * 2);
	for (u32 id = 0; id < in->names.n; id++) {
		const char *e = in->chars.v + in->names.v[id];
		u32 len, hash;
		memcpy(&len, e, 4);
		hash = hash_padded(e + 8, len);
		u32 h = hash & in->mask;
		while (in->tags[h])
			h = (h + 1) & in->mask;
		in->tags[h] = slot_tag(hash);
		in->slots[h] = in->names.v[id] / 8;
	}
}

/* Compares names 8 bytes at a time; both sides must be readable for 8
 * bytes past their end (entries are padded, so is the caller's text). */
static inline bool same_padded(const char *a, const char *b, u32 len)
{
	for (; len >= 8; a += 8, b += 8, len -= 8)
		if (load_u64(a) != load_u64(b))
			return false;
	return len == 0 || first_bytes(load_u64(a) ^ load_u64(b), len) == 0;
}

/* Stores an entry's bytes, its NUL and zero padding.  A padded source is
 * readable for 8 bytes past s + len, so it is copied a word at a time;
 * another is copied over zeros. */
static void put_name(char *e, const char *s, u32 len, bool padded)
{
	if (!padded) {
		memset(e, 0, (len + 8) & ~7u);
		memcpy(e, s, len);
		return;
	}
	for (u32 i = 0; i < len; i += 8) {
		u64 w = load_u64(s + i);
		if (len - i < 8)
			w = first_bytes(w, len - i);
		memcpy(e + i, &w, 8);
	}
	if (len % 8 == 0) /* the NUL and padding */
		memset(e + len, 0, 8);
}

/* The names' bytes are one vector of chars, whose capacity doubles up to
 * 2^31 (vec_grow_); the check comes first, since chars.n + size could also
 * wrap around in vec_reserve's u32 sum.  Names from the input stop
 * INTERN_RESERVE short of it, which leaves room for the few that the tools
 * make themselves (a module's name, "_start"): only input can fill the
 * interner, and the tool reports that as the input's error. */
#define INTERN_MAX_BYTES ((u64)1 << 31)
#define INTERN_RESERVE ((u64)1 << 20)

/* Adds a name while the names' bytes stay within limit; NONE when it does
 * not fit. */
static u32 intern_add(Interner *in, const char *s, u32 len, u32 hash, u32 h, bool padded,
		      u64 limit)
{
	u32 off = in->chars.n, id = in->names.n;
	u64 size = ((u64)len + 8 + 1 + 7) & ~7ull; /* header, bytes, NUL, padding */
	if (off + size > limit)
		return NONE;
	vec_reserve(&in->chars, (u32)size);
	memcpy(in->chars.v + off, &len, 4);
	memcpy(in->chars.v + off + 4, &id, 4);
	put_name(in->chars.v + off + 8, s, len, padded);
	in->chars.n += (u32)size;
	vec_push(&in->names, off);
	in->tags[h] = slot_tag(hash);
	in->slots[h] = off / 8;
	if (in->names.n > in->mask / 4 * 3)
		intern_rehash(in);
	return id;
}

/* Looks a name up; *found gets its id, or the empty slot where it goes. */
static inline bool intern_find(Interner *in, const char *s, u32 len, u32 hash, bool padded,
			       u32 *found)
{
	u8 tag = slot_tag(hash);
	u32 h = hash & in->mask;
	for (u8 t; (t = in->tags[h]) != 0; h = (h + 1) & in->mask) {
		if (t != tag)
			continue;
		const char *e = in->chars.v + (size_t)in->slots[h] * 8;
		u32 elen;
		memcpy(&elen, e, 4);
		if (elen == len && (padded ? same_padded(e + 8, s, len) : memcmp(e + 8, s, len) == 0)) {
			memcpy(found, e + 4, 4);
			return true;
		}
	}
	*found = h;
	return false;
}

/* A name's id, added if it is new and fits within limit (never for 0). */
static inline u32 intern_within(Interner *in, const char *s, u32 len, u32 hash, bool padded,
				u64 limit)
{
	u32 r;
	return intern_find(in, s, len, hash, padded, &r) ? r
							 : intern_add(in, s, len, hash, r, padded, limit);
}

u32 intern_h(Interner *in, const char *s, u32 len, u32 hash)
{
	u32 id = intern_within(in, s, len, hash, false, INTERN_MAX_BYTES);
	if (id == NONE) /* a bug: names from the input stop INTERN_RESERVE short */
		die("interner exceeds 2 GiB of names");
	return id;
}

u32 intern_input(Interner *in, const char *s, u32 len)
{
	return intern_within(in, s, len, hash_bytes(s, len), false, INTERN_MAX_BYTES - INTERN_RESERVE);
}

u32 intern_input_padded(Interner *in, const char *s, u32 len)
{
	return intern_within(in, s, len, hash_padded(s, len), true, INTERN_MAX_BYTES - INTERN_RESERVE);
}

u32 intern_lookup(Interner *in, const char *s, u32 len)
{
	return intern_within(in, s, len, hash_bytes(s, len), false, 0);
}

u32 intern_at(Interner *in, SrcFile *f, u32 pos, u32 len)
{
	u32 id = intern_input_padded(in, f->text + pos, len);
	if (id == NONE)
		error_at(f, pos, INTERN_FULL_MESSAGE);
	return id;
}

void intern_free(Interner *in)
{
	free(in->memo);
	in->memo = NULL;
	vec_free(&in->names);
	vec_free(&in->chars);
	free(in->tags);
	free(in->slots);
	in->tags = NULL;
	in->slots = NULL;
}

/* ---- files ---------------------------------------------------------------- */

enum { TEXT_PAD = 8 };

/* Big files are mapped, not read: the kernel then neither zeroes fresh
 * pages nor copies the text into them (for a 26 MB input that was a fifth
 * of nifasm's time).  The reader looks TEXT_PAD bytes past the end, so the
 * file is mapped over the start of a zeroed anonymous region one padding
 * longer; a page past the end of a file mapping would not be readable. */
enum { MAP_AT_LEAST = 1 << 20 };

static size_t mapped_size(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (len + TEXT_PAD + page - 1) / page * page;
}

static char *map_text(int fd, size_t size)
{
	void *region = mmap(NULL, mapped_size(size), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return NULL;
	if (mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(region, mapped_size(size));
		return NULL;
	}
	return region;
}

static char *read_text(int fd, size_t *size)
{
	size_t got = 0;
	char *p = xmalloc(*size + TEXT_PAD);
	while (got < *size) {
		ssize_t r = read(fd, p + got, *size - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			*size = got; /* the file shrank while we read it */
			break;
		}
		got += (size_t)r;
	}
	memset(p + *size, 0, TEXT_PAD);
	return p;
}

/* 0 when fd is a regular file read_file can hold, else the errno to report:
 * fstat's own, EISDIR, EINVAL for anything else that is not a regular file
 * (a device, a pipe: its size is not known up front), EFBIG. */
static int unreadable(int fd, struct stat *st)
{
	if (fstat(fd, st) != 0)
		return errno;
	if (S_ISDIR(st->st_mode))
		return EISDIR;
	if (!S_ISREG(st->st_mode))
		return EINVAL;
	return st->st_size >= UINT32_MAX - TEXT_PAD ? EFBIG : 0;
}

bool read_file(const char *path, char **text, u32 *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	struct stat st;
	int err = unreadable(fd, &st);
	if (err) {
		close(fd);
		errno = err;
		return false;
	}
	size_t size = (size_t)st.st_size;
	char *p = size >= MAP_AT_LEAST ? map_text(fd, size) : read_text(fd, &size);
	int saved = errno;
	close(fd);
	if (!p) {
		errno = saved;
		return false;
	}
	*text = p;
	*len = (u32)size;
	return true;
}

const char *file_error(int err)
{
	return err == EINVAL ? "not a regular file" : strerror(err);
}

void release_file(const char *text, u32 len)
{
	if (len >= MAP_AT_LEAST)
		munmap((void *)text, mapped_size(len));
	else
		free((void *)text);
}

/* Moves iov[*i..n) past the w bytes a writev wrote. */
static void iov_advance(struct iovec *iov, u32 n, u32 *i, size_t w)
{
	for (; *i < n && w >= iov[*i].iov_len; ++*i)
		w -= iov[*i].iov_len;
	if (*i < n) {
		iov[*i].iov_base = (char *)iov[*i].iov_base + w;
		iov[*i].iov_len -= w;
	}
}

/* One writev for up to WRITE_BATCH pieces: a single system call where
 * there are few (a worker's result, the executable's parts). */
enum { WRITE_BATCH = 16 };

static bool write_batch(int fd, const Piece *pieces, u32 npieces)
{
	struct iovec iov[WRITE_BATCH];
	u32 n = 0;
	for (u32 k = 0; k < npieces; k++)
		if (pieces[k].n)
			iov[n++] = (struct iovec){(void *)pieces[k].p, pieces[k].n};
	for (u32 i = 0; i < n;) {
		ssize_t w = writev(fd, iov + i, (int)(n - i));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		iov_advance(iov, n, &i, (size_t)w);
	}
	return true;
}

bool write_pieces(int fd, const Piece *pieces, u32 npieces)
{
	for (u32 i = 0; i < npieces; i += WRITE_BATCH)
		if (!write_batch(fd, pieces + i, MIN(npieces - i, (u32)WRITE_BATCH)))
			return false;
	return true;
}

/* An output that exists and is not a regular file (/dev/null, a pipe) is
 * written in place: renaming over it would replace the device or the pipe
 * with a file. */
static bool write_pieces_in_place(const char *path, const Piece *pieces, u32 npieces)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	bool ok = fd >= 0 && write_pieces(fd, pieces, npieces);
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	return ok;
}

/* An existing regular file of ours with no other name is overwritten in
 * place and cut to the new length.  Replacing a file by rename makes ext4
 * write the new one out at once (its auto_da_alloc): 5 to 7 ms for 4 MB,
 * against under one ms for writing over the old pages.  Anything else (no
 * file yet, a symbolic link, a file with other names, which keep the old
 * bytes, one we cannot open for writing, such as a running executable)
 * goes through a new file and a rename.  Returns the open file or -1. */
static int open_to_overwrite(const char *path)
{
	struct stat st, opened;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != geteuid())
		return -1;
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev)) {
		close(fd); /* replaced since the lstat */
		return -1;
	}
	return fd;
}

/* Removes a file that could not be written whole, leaving errno to say
 * why the writing failed. */
static void remove_keeping_errno(const char *path)
{
	int saved = errno;
	unlink(path);
	errno = saved;
}

/* A file that could not be written whole is removed: no half-written output. */
static bool overwrite(int fd, const char *path, const Piece *pieces, u32 npieces, int mode)
{
	u64 len = 0;
	for (u32 i = 0; i < npieces; i++)
		len += pieces[i].n;
	bool ok = write_pieces(fd, pieces, npieces) && ftruncate(fd, (off_t)len) == 0 &&
		  fchmod(fd, (mode_t)mode) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok)
		remove_keeping_errno(path);
	return ok;
}

static bool write_and_rename(const char *path, const Piece *pieces, u32 npieces, int mode)
{
	size_t plen = strlen(path);
	char *tmp = xmalloc(plen + 32);
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	bool ok = fd >= 0 && write_pieces(fd, pieces, npieces);
	if (fd >= 0) {
		ok = fchmod(fd, (mode_t)mode) == 0 && ok;
		ok = close(fd) == 0 && ok;
	}
	ok = ok && rename(tmp, path) == 0;
	if (!ok && fd >= 0)
		remove_keeping_errno(tmp);
	free(tmp);
	return ok;
}

bool write_output_pieces(const char *path, const Piece *pieces, u32 npieces, int mode)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_pieces_in_place(path, pieces, npieces);
	int fd = open_to_overwrite(path);
	if (fd >= 0)
		return overwrite(fd, path, pieces, npieces, mode);
	return write_and_rename(path, pieces, npieces, mode);
}

bool write_output_file(const char *path, const void *data, size_t n, int mode)
{
	Piece whole = {data, n};
	return write_output_pieces(path, &whole, 1, mode);
}
