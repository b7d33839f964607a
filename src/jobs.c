/* jobs.c - checking one file's procs in several processes (-j).
 *
 * Checking and encoding are nine tenths of nifasm's time, and procs are
 * checked independently of each other once the declarations are resolved.
 * The state they share (the interner, the types, the globals) is mutable
 * and single-threaded, so the parallelism is processes, not threads: after
 * the declarations, the parent forks one worker per range of top-level
 * nodes, and each worker has its own copy of everything, with no lock in
 * any hot path.
 *
 * A range starts at a proc and holds only declarations (procs and data;
 * top-level instructions stay with the parent, see Program.last_code).  The
 * parent checks the first range itself.  Each worker checks and encodes its
 * range, keeps its diagnostics as records (diag_capture), and writes its
 * code bytes, chunks and fixups to a memfd.  When the parent's reader
 * reaches a worker's range, it waits for the worker, prints the worker's
 * diagnostics, appends its code, and moves its reader past the range: the
 * output, the messages and their order are those of one process.
 *
 * A worker that would load a module (a change the ranges after it would not
 * see) gives its range back, and the parent checks it itself.
 */
#define _GNU_SOURCE /* memfd_create, sched_getaffinity */
#include "nifasm.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Without -j, one process per this many bytes of the file (and per CPU):
 * a fork and the hand-over cost about a millisecond, a megabyte of procs
 * about eight. */
enum { AUTO_BYTES_PER_JOB = 1 << 20 };

typedef struct ResultHead {
	u32 status; /* JOIN_* */
	u32 failed;
	u32 end;
	u32 nchunks, nfixups;
	u64 ndiag, ntext;
} ResultHead;

/* The worker this process is, or NULL in the parent. */
static struct {
	Program *p;
	Worker *w;
	Buf diags;
} self;

/* ---- planning ---------------------------------------------------------------------- */

static u32 cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return (u32)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (u32)n : 1;
}

static u32 jobs_wanted(const Program *p, const SrcFile *f)
{
	if (p->dump || p->listing) /* dumps and listings print as they go */
		return 1;
	if (p->jobs)
		return p->jobs;
	return MAX(1, MIN(MIN(cpus(), JOBS_MAX), f->len / AUTO_BYTES_PER_JOB));
}

/* The starts of the ranges after the first: procs after the file's last
 * top-level instruction, as near as may be to equal shares of its bytes. */
static void plan_starts(const Program *p, u32 file, u32 jobs, U32Vec *starts)
{
	u32 len = p->files.v[file]->len, after = p->last_code.v[file];
	u32 k = 1;
	for (u32 i = 0; i < p->decls.n && k < jobs; i++) {
		const Decl *d = &p->decls.v[i];
		if (d->file != file || d->tag != TAG_proc || d->pos <= after)
			continue;
		if (d->pos >= (u64)len * k / jobs) {
			vec_push(starts, d->pos);
			k++;
		}
	}
}

/* ---- the worker's side ------------------------------------------------------------- */

/* n bytes at base + off; base may be NULL when n is 0 (an empty vector). */
static Piece piece_at(const void *base, u64 off, u64 n)
{
	return (Piece){n ? (const u8 *)base + off : NULL, n};
}

static _Noreturn void send(const ResultHead *h, const Program *p, const Worker *w)
{
	Piece result[] = {
		{h, sizeof *h},
		piece_at(self.diags.p, 0, h->ndiag),
		piece_at(p->text.p, w->text0, h->ntext),
		piece_at(p->chunks.v, w->chunk0 * (u64)sizeof(Chunk), h->nchunks * (u64)sizeof(Chunk)),
		piece_at(p->fixups.v, w->fix0 * (u64)sizeof(Fixup), h->nfixups * (u64)sizeof(Fixup)),
	};
	Piece ready = {"", 1}; /* the parent need not wait for the exit */
	if (!write_pieces(w->fd, result, COUNTOF(result)) || !write_pieces(w->ready, &ready, 1))
		die("a worker could not write its result: %s", strerror(errno));
	_exit(0); /* nothing of the parent's (atexit, stdio buffers) runs twice */
}

_Noreturn void worker_finish(Program *p, u32 end, bool failed)
{
	const Worker *w = self.w;
	ResultHead h;
	memset(&h, 0, sizeof h); /* its padding is written too */
	h.status = JOIN_DONE;
	h.failed = failed;
	h.end = end;
	h.nchunks = p->chunks.n - w->chunk0;
	h.nfixups = p->fixups.n - w->fix0;
	h.ndiag = self.diags.n;
	h.ntext = p->text.n - w->text0;
	send(&h, p, w);
}

_Noreturn void worker_fallback(void)
{
	ResultHead h;
	memset(&h, 0, sizeof h);
	h.status = JOIN_FALLBACK;
	send(&h, self.p, self.w);
}

/* At the error limit the parent, which replays these errors after its own,
 * stops too; the worker only has to hand them over. */
static void worker_at_limit(void)
{
	worker_finish(self.p, 0, true);
}

void worker_begin(Program *p, Worker *w)
{
	self.p = p;
	self.w = w;
	p->in_worker = true;
	diag_capture = &self.diags;
	diag_on_limit = worker_at_limit;
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* a parent that exits early takes it along */
	if (getppid() == 1)
		_exit(0);
}

/* ---- the parent's side ------------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forks worker w; returns true in the worker.  A worker that cannot be
 * made leaves its range to the parent (pid 0).  The worker writes its
 * result to a memfd, then one byte to a pipe, `ready`: the parent reads
 * the result as soon as it is written, while the worker's exit, which
 * frees a copy of the whole program, runs beside it. */
static bool spawn(Worker *w)
{
	int pipe_fds[2];
	w->pid = 0;
	w->fd = memfd_create("nifasm-worker", MFD_CLOEXEC);
	if (w->fd < 0 || pipe(pipe_fds) < 0) {
		close_fd(&w->fd);
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(pipe_fds[0]);
		w->ready = pipe_fds[1];
		return true;
	}
	close(pipe_fds[1]);
	w->ready = pipe_fds[0];
	if (pid < 0) {
		close_fd(&w->fd);
		close_fd(&w->ready);
		return false;
	}
	w->pid = pid;
	return false;
}

u32 jobs_fork(Program *p, u32 file, Workers *ws)
{
	U32Vec starts = {0};
	plan_starts(p, file, jobs_wanted(p, p->files.v[file]), &starts);
	for (u32 i = 0; i < starts.n; i++) {
		Worker w = {.fd = -1, .ready = -1, .start = starts.v[i],
			    .stop = i + 1 < starts.n ? starts.v[i + 1] : NONE,
			    .text0 = (u32)p->text.n, .chunk0 = p->chunks.n, .fix0 = p->fixups.n};
		vec_push(ws, w);
	}
	vec_free(&starts);
	u32 started = 0;
	for (u32 i = 0; i < ws->n; i++) {
		if (spawn(&ws->v[i]))
			return i;
		started += ws->v[i].pid != 0;
	}
	p->processes = MAX(p->processes, started + 1);
	return NONE;
}

static const u8 *map_result(const Worker *w, u64 *size)
{
	struct stat st;
	if (fstat(w->fd, &st) < 0 || (u64)st.st_size < sizeof(ResultHead))
		die("worker %d left no result", w->pid);
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, w->fd, 0);
	if (m == MAP_FAILED)
		die("cannot map a worker's result: %s", strerror(errno));
	*size = (u64)st.st_size;
	return m;
}

static void reap(int pid)
{
	while (waitpid(pid, NULL, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
}

/* Waits until worker w has written its result: false when it ended
 * without one (the pipe's end closed with its process).  Then it is reaped
 * and forgotten. */
static bool wait_ready(Worker *w)
{
	char b;
	ssize_t n;
	while ((n = read(w->ready, &b, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		return true;
	reap(w->pid);
	w->pid = 0;
	return false;
}

/* Appends the worker's code to p: its chunks move by what the parent and
 * the workers before it added since the fork. */
static void merge(Program *p, const Worker *w, const ResultHead *h, const u8 *at)
{
	u64 text_base = p->text.n;
	u32 fix_base = p->fixups.n;
	buf_put(&p->text, at, h->ntext);
	at += h->ntext;
	for (u32 i = 0; i < h->nchunks; i++, at += sizeof(Chunk)) {
		Chunk c;
		memcpy(&c, at, sizeof c);
		c.code_off = (u32)(c.code_off - w->text0 + text_base);
		c.fix_first = c.fix_first - w->fix0 + fix_base;
		p->globals.v[c.global].chunk = p->chunks.n;
		vec_push(&p->chunks, c);
	}
	if (h->nfixups) {
		vec_reserve(&p->fixups, h->nfixups);
		memcpy(p->fixups.v + p->fixups.n, at, h->nfixups * (u64)sizeof(Fixup));
		p->fixups.n += h->nfixups;
	}
}

Joined worker_join(Program *p, u32 file, Worker *w)
{
	if (w->pid == 0 || !wait_ready(w)) /* never started, or ended without its result */
		return (Joined){JOIN_FALLBACK, 0, false};
	w->joined = true;
	u64 size;
	const u8 *m = map_result(w, &size);
	ResultHead h;
	memcpy(&h, m, sizeof h);
	u64 want = sizeof h + h.ndiag + h.ntext + h.nchunks * (u64)sizeof(Chunk) +
		   h.nfixups * (u64)sizeof(Fixup);
	ASSERT(size == want);
	Joined j = {(JoinStatus)h.status, h.end, h.failed};
	if (h.status == JOIN_DONE) {
		diag_replay(m + sizeof h, h.ndiag, p->files.v[file]->path);
		merge(p, w, &h, m + sizeof h + h.ndiag);
	}
	munmap((void *)m, size);
	close_fd(&w->fd);
	close_fd(&w->ready);
	return j;
}

void jobs_end(Program *p, Workers *ws)
{
	for (u32 i = 0; i < ws->n; i++) {
		Worker *w = &ws->v[i];
		close_fd(&w->fd);
		close_fd(&w->ready);
		if (w->pid && w->joined) {
			vec_push(&p->workers, w->pid);
		} else if (w->pid) {
			kill(w->pid, SIGKILL);
			reap(w->pid);
		}
		w->pid = 0;
	}
}

void jobs_reap(Program *p)
{
	for (u32 i = 0; i < p->workers.n; i++)
		reap(p->workers.v[i]);
	vec_free(&p->workers);
}
