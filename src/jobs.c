/* jobs.c - checking one file's procs in several processes (-j).
 *
 * Checking and encoding are nine tenths of nifasm's time, and procs are
 * checked independently of each other once the declarations are resolved.
 * The state they share (the interner, the types, the globals) is mutable
 * and single-threaded, so the parallelism is processes, not threads: after
 * the declarations, the parent forks the workers, and each has its own
 * copy of everything, with no lock in any hot path.
 *
 * The file is cut at procs into many more ranges than processes.  A range
 * holds only declarations (procs and data; the head, before the first
 * range, holds the top-level instructions and stays with the parent, see
 * Program.last_code).  Who checks which range is decided as they go, so
 * that a process that runs slower (another program shares its CPU, say)
 * checks fewer: a table all the processes share (a memfd mapped
 * MAP_SHARED) has an owner for each range, taken with a compare-and-swap.
 * The parent takes ranges from the front, in file order; the workers take
 * them from the back, and the two ends meet where their speeds put them.
 *
 * A worker checks and encodes a range, keeps its diagnostics as records
 * (diag_capture), appends the result (diagnostics, code bytes, chunks,
 * fixups) to its memfd, marks the range done in the table, writes a byte
 * to its pipe, and takes the next.  When the parent's reading reaches a
 * range a worker took, it waits for that result (read in place: the parent
 * maps the worker's memfd), prints its diagnostics, appends its code, and
 * moves its reader past the range: the output, the messages and their
 * order are those of one process.
 *
 * A worker that would load a module (a change to the program that the
 * ranges after it would not see) gives its range back and ends, and the
 * parent checks that range itself; so it does every range of a worker
 * that ended without sending it.
 */
#define _GNU_SOURCE /* memfd_create, sched_getaffinity */
#include "nifasm.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Without -j, one process per this many bytes of the file (and per CPU):
 * a fork and the hand-over cost about a millisecond, a megabyte of procs
 * about eight.  The file is cut into RANGES_PER_JOB ranges per process: a
 * range's result costs five system calls, and where the two ends meet the
 * parent may wait for up to one range.  (At 10^6 instructions, 16, 64 and
 * 256 per process measured alike, 2 per process 15% slower.) */
enum { AUTO_BYTES_PER_JOB = 1 << 20, RANGES_PER_JOB = 32 };

/* The parent maps a worker's results at least this large at first, and
 * faults memory in by writing a byte every TOUCH_STEP bytes (the smallest
 * page size: larger pages only make some writes redundant). */
enum { RESULT_MAP_MIN = 1 << 20, TOUCH_STEP = 4096 };

/* A range's owner: nobody yet, the parent, or worker k as FIRST_WORKER + k. */
enum { FREE, PARENT, FIRST_WORKER };

struct Slot {
	_Atomic u32 owner;
	_Atomic u32 done; /* its worker's result is at `off` in the worker's memfd */
	u64 off;
};

/* The head of a result; diagnostics, code, chunks and fixups follow. */
typedef struct ResultHead {
	u32 status; /* JOIN_* */
	u32 failed;
	u32 end;
	u32 nchunks, nfixups;
	u64 ndiag, ntext;
} ResultHead;

/* The worker this process is (its Jobs is NULL in the parent). */
static struct {
	Program *p;
	Jobs *j;
	Buf diags;
	u64 sent;   /* bytes written to its memfd */
	int errors; /* diag_error_count at the fork */
} self;

/* ---- planning ---------------------------------------------------------------------- */

/* The CPUs nifasm may run on, into *allowed (empty when the kernel does
 * not say), and how many there are. */
static u32 cpus(cpu_set_t *allowed)
{
	if (sched_getaffinity(0, sizeof *allowed, allowed) == 0)
		return (u32)CPU_COUNT(allowed);
	CPU_ZERO(allowed);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (u32)n : 1;
}

/* How many processes check file f; *allowed is filled when more than
 * one (the kernel is asked only then). */
static u32 jobs_wanted(const Program *p, const SrcFile *f, cpu_set_t *allowed)
{
	u32 by_size = f->len / AUTO_BYTES_PER_JOB;
	if (p->dump || p->listing || p->jobs == 1 || (!p->jobs && by_size < 2))
		return 1; /* dumps and listings print as they go */
	u32 ncpu = cpus(allowed);
	return p->jobs ? p->jobs : MIN(MIN(ncpu, JOBS_MAX), by_size);
}

/* The starts of `want` ranges: procs after the file's last top-level
 * instruction, as near as may be to equal shares of its bytes. */
static void plan_starts(const Program *p, u32 file, u32 want, U32Vec *starts)
{
	u32 len = p->files.v[file]->len, after = p->last_code.v[file];
	u32 k = 1;
	for (u32 i = 0; i < p->decls.n && k <= want; i++) {
		const Decl *d = &p->decls.v[i];
		if (d->file != file || d->tag != TAG_proc || d->pos <= after)
			continue;
		if (d->pos >= (u64)len * k / (want + 1)) {
			vec_push(starts, d->pos);
			k++;
		}
	}
}

u32 jobs_start(const Jobs *j, u32 r)
{
	return r < j->starts.n ? j->starts.v[r] : NONE;
}

/* The table of owners, zeroed (FREE); false when there is none to be had,
 * and the parent checks every range. */
static bool map_slots(Jobs *j)
{
	size_t size = j->starts.n * sizeof(struct Slot);
	int fd = memfd_create("nifasm-jobs", MFD_CLOEXEC);
	void *m = MAP_FAILED;
	if (fd >= 0 && ftruncate(fd, (off_t)size) == 0)
		m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0)
		close(fd);
	j->slots = m == MAP_FAILED ? NULL : m;
	return j->slots != NULL;
}

/* ---- the worker's side ------------------------------------------------------------- */

/* n bytes at base + off; base may be NULL when n is 0 (an empty vector). */
static Piece piece_at(const void *base, u64 off, u64 n)
{
	return (Piece){n ? (const u8 *)base + off : NULL, n};
}

/* The result of the range taken, after which the worker's code, chunks,
 * fixups, diagnostics and error count are those of the fork again.  A
 * worker that cannot send it ends: the parent checks the range. */
static void send(const ResultHead *h)
{
	Program *p = self.p;
	Jobs *j = self.j;
	Worker *w = &j->workers.v[j->me];
	Piece result[] = {
		{h, sizeof *h},
		piece_at(self.diags.p, 0, h->ndiag),
		piece_at(p->text.p, j->text0, h->ntext),
		piece_at(p->chunks.v, j->chunk0 * (u64)sizeof(Chunk), h->nchunks * (u64)sizeof(Chunk)),
		piece_at(p->fixups.v, j->fix0 * (u64)sizeof(Fixup), h->nfixups * (u64)sizeof(Fixup)),
	};
	struct Slot *s = &j->slots[j->cursor]; /* the range it took last, and checks */
	s->off = self.sent;
	if (!write_pieces(w->fd, result, COUNTOF(result)))
		_exit(1);
	for (u32 i = 0; i < COUNTOF(result); i++)
		self.sent += result[i].n;
	atomic_store(&s->done, 1);
	if (write(w->ready, "", 1) != 1) /* the parent need not wait for the exit */
		_exit(1);
	p->text.n = j->text0;
	p->chunks.n = j->chunk0;
	p->fixups.n = j->fix0;
	self.diags.n = 0;
	diag_error_count = self.errors;
}

static ResultHead result_head(u32 status)
{
	ResultHead h;
	memset(&h, 0, sizeof h); /* its padding is written too */
	h.status = status;
	return h;
}

void worker_send(Program *p, u32 end, bool failed)
{
	const Jobs *j = self.j;
	ResultHead h = result_head(JOIN_DONE);
	h.failed = failed;
	h.end = end;
	h.nchunks = p->chunks.n - j->chunk0;
	h.nfixups = p->fixups.n - j->fix0;
	h.ndiag = self.diags.n;
	h.ntext = p->text.n - j->text0;
	send(&h);
}

_Noreturn void worker_exit(void)
{
	_exit(0); /* nothing of the parent's (atexit, stdio buffers) runs twice */
}

_Noreturn void worker_fallback(void)
{
	ResultHead h = result_head(JOIN_FALLBACK);
	send(&h);
	worker_exit();
}

/* At the error limit the parent, which replays these errors after its own,
 * stops too; the worker only has to hand them over.  Each range counts
 * from the errors at the fork, so the parent's count, which is no lower,
 * reaches the limit within the errors sent. */
static void worker_at_limit(void)
{
	worker_send(self.p, 0, true);
	worker_exit();
}

void worker_begin(Program *p, Jobs *j)
{
	self.p = p;
	self.j = j;
	self.errors = diag_error_count;
	p->in_worker = true;
	diag_capture = &self.diags;
	diag_on_limit = worker_at_limit;
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* a parent that exits early takes it along */
	if (getppid() == 1)
		_exit(0);
}

u32 worker_next(Jobs *j)
{
	for (u32 r = j->cursor; r-- > 0;) {
		u32 owner = FREE;
		if (atomic_compare_exchange_strong(&j->slots[r].owner, &owner, FIRST_WORKER + j->me)) {
			j->cursor = r;
			return r;
		}
		if (owner == PARENT) /* the parent took everything below */
			break;
	}
	return NONE;
}

/* ---- the parent's side ------------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Forks worker w; returns true in the worker.  A worker that cannot be
 * made takes no range (pid 0).  The worker writes each result to a memfd,
 * then one byte to a pipe, `ready`: the parent reads a result as soon as it
 * is written, and learns from the pipe's end that a worker is gone. */
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

/* The CPU after `from` in set, cyclically, or -1 when set has none. */
static int next_cpu(const cpu_set_t *set, int from)
{
	for (int k = 1; k <= CPU_SETSIZE; k++) {
		int c = (from + k) % CPU_SETSIZE;
		if (CPU_ISSET(c, set))
			return c;
	}
	return -1;
}

/* Where workers go: the CPUs after the parent's, one each, when there are
 * CPUs enough for every process (else *cpu is -1 and the scheduler
 * decides).  Left to the scheduler, a worker often started on the
 * parent's CPU, and the two shared it until the load balancer moved one:
 * at 10^6 instructions such runs took 82 to 88 ms instead of 70 to 77,
 * and 117 instead of 82 when another program kept one CPU busy. */
static int first_place(const cpu_set_t *allowed, u32 processes)
{
	int cpu = sched_getcpu();
	if (cpu < 0 || (u32)CPU_COUNT(allowed) < processes || !CPU_ISSET(cpu, allowed))
		return -1;
	return cpu;
}

/* Puts worker pid on the next CPU after *cpu.  The parent does it right
 * after the fork, so the worker never runs on the parent's CPU.  A
 * failure only costs time. */
static void place_worker(int pid, const cpu_set_t *allowed, int *cpu)
{
	if (*cpu < 0)
		return;
	*cpu = next_cpu(allowed, *cpu);
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(*cpu, &one);
	sched_setaffinity(pid, sizeof one, &one);
}

static u32 fork_workers(Program *p, Jobs *j, u32 n, const cpu_set_t *allowed)
{
	for (u32 i = 0; i < n; i++)
		vec_push(&j->workers, ((Worker){.fd = -1, .ready = -1}));
	u32 started = 0;
	int cpu = first_place(allowed, n + 1);
	for (u32 i = 0; i < n; i++) {
		if (spawn(&j->workers.v[i])) {
			j->me = i;
			return i;
		}
		if (j->workers.v[i].pid > 0) {
			place_worker(j->workers.v[i].pid, allowed, &cpu);
			started++;
		}
	}
	p->processes = MAX(p->processes, started + 1);
	p->ranges += j->starts.n; /* for --time */
	return NONE;
}

u32 jobs_fork(Program *p, u32 file, Jobs *j)
{
	memset(j, 0, sizeof *j);
	j->me = NONE;
	j->text0 = (u32)p->text.n;
	j->chunk0 = p->chunks.n;
	j->fix0 = p->fixups.n;
	cpu_set_t allowed;
	u32 jobs = jobs_wanted(p, p->files.v[file], &allowed);
	if (jobs > 1)
		plan_starts(p, file, jobs * RANGES_PER_JOB, &j->starts);
	j->cursor = j->starts.n;
	if (!j->starts.n || !map_slots(j))
		return NONE;
	return fork_workers(p, j, MIN(jobs - 1, j->starts.n), &allowed);
}

bool jobs_take(Jobs *j, u32 r)
{
	u32 owner = FREE;
	return !j->slots || atomic_compare_exchange_strong(&j->slots[r].owner, &owner, PARENT);
}

/* Waits until the result in slot s is written: false when its worker w
 * ended without writing it (the pipe's end closed with its process). */
static bool wait_done(Worker *w, struct Slot *s)
{
	while (!atomic_load(&s->done)) {
		if (w->gone)
			return false;
		char b;
		ssize_t n = read(w->ready, &b, 1);
		if (n == 0 || (n < 0 && errno != EINTR))
			w->gone = true; /* the loop looks at `done` once more */
	}
	return true;
}

/* The n bytes at offset off of w's memfd, read where they are: the
 * parent maps the memfd, and maps it again, twice as large, when a result
 * ends past the mapping (the memfd grows as the worker writes).  Only bytes
 * the worker has written are read, so no page past the file's end is.
 * NULL when the memfd cannot be mapped (no memory or address space left):
 * then the worker is stopped, and the parent checks each of its ranges
 * itself, as for a worker that was killed. */
static const u8 *result_at(Worker *w, u64 off, u64 n)
{
	if (w->unreadable)
		return NULL;
	if (off + n > w->mapped) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		u64 size = align_up(MAX(off + n, MAX(2 * w->mapped, (u64)RESULT_MAP_MIN)), page);
		if (w->map)
			munmap(w->map, w->mapped);
		w->map = mmap(NULL, size, PROT_READ, MAP_SHARED, w->fd, 0);
		if (w->map == MAP_FAILED) {
			w->map = NULL;
			w->mapped = 0;
			w->unreadable = true;
			if (w->pid > 0) /* its work would be lost: it stops taking ranges */
				kill(w->pid, SIGKILL);
			return NULL;
		}
		w->mapped = size;
	}
	return (const u8 *)w->map + off;
}

/* The head of the result at off in w's memfd, copied into *h (a later
 * result_at may map the memfd elsewhere); false when it cannot be read. */
static bool read_head(Worker *w, u64 off, ResultHead *h)
{
	const u8 *at = result_at(w, off, sizeof *h);
	if (at)
		memcpy(h, at, sizeof *h);
	return at != NULL;
}

/* The result at off in w's memfd, its head in *h; NULL when it cannot be
 * read. */
static const u8 *read_result(Worker *w, u64 off, ResultHead *h)
{
	if (!read_head(w, off, h))
		return NULL;
	u64 size = h->ndiag + h->ntext + h->nchunks * (u64)sizeof(Chunk) +
		   h->nfixups * (u64)sizeof(Fixup);
	return result_at(w, off + sizeof *h, size);
}

/* Appends the worker's code to p: its chunks move by what was added
 * before them since the fork. */
static void merge(Program *p, const Jobs *j, const ResultHead *h, const u8 *at)
{
	u64 text_base = p->text.n;
	u32 fix_base = p->fixups.n;
	buf_put(&p->text, at, h->ntext);
	at += h->ntext;
	for (u32 i = 0; i < h->nchunks; i++, at += sizeof(Chunk)) {
		Chunk c;
		memcpy(&c, at, sizeof c);
		c.code_off = (u32)(c.code_off - j->text0 + text_base);
		c.fix_first = c.fix_first - j->fix0 + fix_base;
		p->globals.v[c.global].chunk = p->chunks.n;
		vec_push(&p->chunks, c);
	}
	if (h->nfixups) {
		vec_reserve(&p->fixups, h->nfixups);
		memcpy(p->fixups.v + p->fixups.n, at, h->nfixups * (u64)sizeof(Fixup));
		p->fixups.n += h->nfixups;
	}
}

/* Writes a byte in each page of the n bytes at q, spare room of a vector,
 * so that the page faults happen now. */
static void touch_pages(void *q, u64 n)
{
	for (u64 i = 0; i < n; i += TOUCH_STEP)
		((volatile u8 *)q)[i] = 0;
}

/* The workers' results for the ranges from `from` on that are done: the
 * parent merges them later, in file order, copying code, chunks and fixups
 * into fresh memory, whose page faults took 1.5 to 2.3 ms at 10^6
 * instructions after the parent's last range.  The parent faults that
 * memory in earlier: after each range it checks, where the sharing of
 * ranges evens the cost out between the processes, and while it waits
 * for a worker. */
void jobs_prepare(Program *p, Jobs *j, u32 from)
{
	u64 text = 0, chunks = 0, fixups = 0;
	for (u32 r = from; j->slots && r < j->starts.n; r++) {
		struct Slot *s = &j->slots[r];
		u32 owner = atomic_load(&s->owner);
		if (owner < FIRST_WORKER || !atomic_load(&s->done))
			continue;
		ResultHead h;
		if (!read_head(&j->workers.v[owner - FIRST_WORKER], s->off, &h))
			continue; /* the parent will check it: nothing to merge */
		text += h.ntext, chunks += h.nchunks, fixups += h.nfixups;
	}
	if (text) /* an empty vector has no memory: v is NULL */
		touch_pages(buf_room(&p->text, text), text);
	if (chunks) {
		vec_reserve(&p->chunks, chunks);
		touch_pages(p->chunks.v + p->chunks.n, chunks * sizeof(Chunk));
	}
	if (fixups) {
		vec_reserve(&p->fixups, fixups);
		touch_pages(p->fixups.v + p->fixups.n, fixups * sizeof(Fixup));
	}
}

Joined jobs_join(Program *p, u32 file, Jobs *j, u32 r)
{
	struct Slot *s = &j->slots[r];
	u32 owner = atomic_load(&s->owner);
	ASSERT(owner >= FIRST_WORKER && owner - FIRST_WORKER < j->workers.n);
	Worker *w = &j->workers.v[owner - FIRST_WORKER];
	if (!atomic_load(&s->done))
		jobs_prepare(p, j, r);
	if (!wait_done(w, s))
		return (Joined){JOIN_FALLBACK, 0, false};
	ResultHead h;
	const u8 *at = read_result(w, s->off, &h);
	if (!at)
		return (Joined){JOIN_FALLBACK, 0, false};
	if (h.status == JOIN_DONE) {
		diag_replay(at, h.ndiag, p->files.v[file]->path);
		merge(p, j, &h, at + h.ndiag);
		p->worker_ranges++;
	}
	return (Joined){(JoinStatus)h.status, h.end, h.failed};
}

static void reap(int pid)
{
	while (waitpid(pid, NULL, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
}

void jobs_end(Program *p, Jobs *j, bool complete)
{
	for (u32 i = 0; i < j->workers.n; i++) {
		Worker *w = &j->workers.v[i];
		close_fd(&w->fd);
		close_fd(&w->ready);
		if (w->map)
			munmap(w->map, w->mapped);
		w->map = NULL;
		if (w->pid && complete) {
			vec_push(&p->workers, w->pid);
		} else if (w->pid) {
			kill(w->pid, SIGKILL);
			reap(w->pid);
		}
		w->pid = 0;
	}
	if (j->slots)
		munmap(j->slots, j->starts.n * sizeof(struct Slot));
	vec_free(&j->starts);
	vec_free(&j->workers);
}

void jobs_reap(Program *p)
{
	for (u32 i = 0; i < p->workers.n; i++)
		reap(p->workers.v[i]);
	vec_free(&p->workers);
}
