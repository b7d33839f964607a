/* main.c - the nifasm driver: options, the two passes, link, write. */
#include "nifasm.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define NIFASM_VERSION "0.1.0"

static const char usage[] =
    "usage: nifasm [options] FILE.nif... -o OUT\n"
    "\n"
    "Assembles NIF modules into a static x86-64 Linux executable.\n"
    "\n"
    "options:\n"
    "  -o OUT        write the executable to OUT\n"
    "  --check       check only; write nothing\n"
    "  --parse-only  read the NIF syntax only (any nodes, no checks); with\n"
    "                -d t, print the trees\n"
    "  --list        print a listing (address, bytes, source line) on stdout\n"
    "  -j N, -jN     check and encode with N processes (default: one per CPU,\n"
    "                for files of 1 MB or more per process); the output is the\n"
    "                same for every N\n"
    "  --time        print the wall time of each stage on stderr\n"
    "  -d STAGES     dump the state after stages on stderr; STAGES is a set of\n"
    "                letters: t tree (reader), c check, l lowering,\n"
    "                e encoding (address, bytes, source per instruction), k link\n"
    "  --help        show this help\n"
    "  --version     show the version\n";

typedef struct Options {
	const char *out;
	bool check_only;
	bool parse_only;
	bool listing;
	bool timing;
	u32 dump;
	u32 jobs;
	VEC(const char *) files;
} Options;

static bool parse_dump(const char *s, u32 *dump)
{
	for (; *s; s++) {
		switch (*s) {
		case 't': *dump |= DUMP_TREE; break;
		case 'c': *dump |= DUMP_CHECK; break;
		case 'l': *dump |= DUMP_LOWER; break;
		case 'e': *dump |= DUMP_CODE; break;
		case 'k': *dump |= DUMP_LINK; break;
		default: return false;
		}
	}
	return true;
}

static bool parse_jobs(const char *s, u32 *jobs)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || n < 1 || n > JOBS_MAX)
		return false;
	*jobs = (u32)n;
	return true;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, Options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("nifasm %s (%s)\n", NIFASM_VERSION, T_amd64.name);
			return 0;
		} else if (!strcmp(a, "-o") && i + 1 < argc) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--check")) {
			o->check_only = true;
		} else if (!strcmp(a, "--parse-only")) {
			o->parse_only = true;
		} else if (!strcmp(a, "--list")) {
			o->listing = true;
		} else if (!strcmp(a, "--time")) {
			o->timing = true;
		} else if (!strncmp(a, "-j", 2) && (a[2] || i + 1 < argc)) {
			const char *n = a[2] ? a + 2 : argv[++i]; /* -j N or -jN */
			if (!parse_jobs(n, &o->jobs)) {
				error_plain("nifasm", "-j wants a number of processes from 1 to %d, not '%s'",
					    JOBS_MAX, n);
				return 1;
			}
		} else if (!strcmp(a, "-d") && i + 1 < argc) {
			if (!parse_dump(argv[++i], &o->dump)) {
				error_plain("nifasm", "unknown dump stage in '%s' (use t, c, l, e, k)", argv[i]);
				return 1;
			}
		} else if (a[0] == '-' && a[1]) {
			error_plain("nifasm", "unknown option '%s' (see --help)", a);
			return 1;
		} else {
			vec_push(&o->files, a);
		}
	}
	if (!o->files.n) {
		error_plain("nifasm", "no input files (see --help)");
		return 1;
	}
	if (!o->out && !o->check_only && !o->listing && !o->parse_only) {
		error_plain("nifasm", "no output file: give -o OUT, or --check");
		return 1;
	}
	return -1;
}

/* ---- --time ------------------------------------------------------------------------ */

/* The wall time of each stage, reported on stderr when nifasm ends: where
 * a run's time goes, without a profiler (docs/benchmark.md). */
typedef struct Stopwatch {
	bool on;
	double start, last; /* ms */
	Buf report;
} Stopwatch;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void stopwatch_start(Stopwatch *s, bool on)
{
	memset(s, 0, sizeof *s);
	s->on = on;
	s->start = s->last = on ? now_ms() : 0;
}

/* Ends a stage: the time since the last lap. */
static void lap(Stopwatch *s, const char *stage)
{
	if (!s->on)
		return;
	double t = now_ms();
	buf_printf(&s->report, "time: %-12s %9.2f ms\n", stage, t - s->last);
	s->last = t;
}

static void stopwatch_report(Stopwatch *s, const Program *p)
{
	if (s->on) {
		buf_printf(&s->report, "time: %-12s %9.2f ms (%u process%s", "total",
			   now_ms() - s->start, MAX(p->processes, 1), p->processes > 1 ? "es" : "");
		if (p->processes > 1)
			buf_printf(&s->report, "; workers checked %u of %u ranges", p->worker_ranges, p->ranges);
		buf_printf(&s->report, ")\n");
		buf_write(&s->report, stderr);
	}
	buf_free(&s->report);
}

u32 prog_add_file(Program *p, const char *path)
{
	SrcFile *f = xcalloc(1, sizeof *f);
	char *text;
	f->path = path;
	if (!read_file(path, &text, &f->len)) {
		free(f);
		return NONE;
	}
	f->text = text;
	vec_push(&p->files, f);
	vec_push(&p->modules, module_name(&p->names, path));
	return p->files.n - 1;
}

static bool load_files(Program *p, const Options *o)
{
	for (u32 i = 0; i < o->files.n; i++) {
		p->given_files++;
		if (prog_add_file(p, o->files.v[i]) == NONE) {
			error_plain("nifasm", "cannot read %s: %s", o->files.v[i], file_error(errno));
			return false;
		}
	}
	return true;
}

static void program_init(Program *p, const Options *o)
{
	memset(p, 0, sizeof *p);
	intern_init(&p->names);
	tags_intern(&p->names);
	types_init(&p->types);
	p->entry = NONE;
	p->listing = o->listing || (o->dump & DUMP_CODE);
	p->dump = o->dump;
	p->jobs = o->jobs;
}

static void program_free(Program *p)
{
	for (u32 i = 0; i < p->files.n; i++) {
		SrcFile *f = p->files.v[i];
		if (i >= p->given_files)
			free((char *)f->path); /* a module nifasm found itself */
		release_file(f->text, f->len);
		free(f->line_starts);
		free(f);
	}
	vec_free(&p->files);
	vec_free(&p->modules);
	vec_free(&p->module_tried);
	vec_free(&p->last_code);
	intern_free(&p->names);
	types_free(&p->types);
	vec_free(&p->globals);
	vec_free(&p->decls);
	vec_free(&p->params);
	vec_free(&p->sigs);
	vec_free(&p->global_of_name);
	vec_free(&p->chunks);
	vec_free(&p->fixups);
	vec_free(&p->list);
	buf_free(&p->text);
	buf_free(&p->rodata);
	buf_free(&p->data);
	buf_free(&p->tdata);
	buf_free(&p->img.text);
	buf_free(&p->img.rodata);
	buf_free(&p->img.data);
}

/* Without top-level instructions, main.0 is the entry, through a stub. */
static bool make_entry(Program *p, const Target *t)
{
	if (p->entry != NONE)
		return true;
	u32 main_name = intern(&p->names, "main.0", 6);
	u32 g = global_lookup(p, main_name);
	if (g == NONE || p->globals.v[g].kind != G_PROC) {
		error_at(p->files.v[0], p->module_pos,
			 "no entry: this module has no top-level instructions and no proc main.0");
		return false;
	}
	u32 start = intern(&p->names, "_start", 6);
	p->entry = global_get(p, start, start, 0, 0);
	p->globals.v[p->entry].kind = G_ENTRY;
	p->globals.v[p->entry].defined = true;
	p->globals.v[p->entry].chunk = t->start_stub(p, g, proc_result_family(p, g));
	return true;
}

/* Reads one file's nodes.  Without a dump, the children of a top-level node
 * are read one at a time into a reused tree, as the checker reads them. */
static void parse_file(Program *p, u32 file, Tree *t, bool dump, Buf *out)
{
	SrcFile *f = p->files.v[file];
	Reader r;
	reader_init(&r, f, &p->names, t, file_module(p, file));
	while (!r.failed && !read_at_eof(&r)) {
		tree_clear(t);
		if (dump || *r.cur != '(') {
			u32 n = read_node(&r);
			if (n == NONE)
				break;
			if (dump)
				dump_tree(t, &p->names, f->text, n, out);
			continue;
		}
		if (read_open(&r) == NONE)
			break;
		while (tree_clear(t), read_node(&r) != NONE)
			;
		read_close(&r);
	}
	if (!r.failed && !read_at_eof(&r))
		error_at(f, (u32)(r.cur - f->text), "unexpected ')'");
	reader_free(&r);
}

/* --parse-only: every file is a sequence of NIF nodes; -d t prints them. */
static bool parse_only(Program *p, const Options *o, Stopwatch *sw)
{
	Tree t = {0};
	Buf b = {0};
	for (u32 i = 0; i < p->files.n; i++)
		parse_file(p, i, &t, o->dump & DUMP_TREE, &b);
	lap(sw, "parse");
	buf_write(&b, stderr);
	buf_free(&b);
	tree_free(&t);
	return diag_error_count == 0;
}

static bool assemble(Program *p, const Options *o, const Target *t, Stopwatch *sw)
{
	if (o->parse_only)
		return parse_only(p, o, sw);
	for (u32 i = 0; i < p->files.n; i++)
		scan_declarations(p, i);
	lap(sw, "declarations");
	if (diag_error_count)
		return false;
	bool resolved = resolve_declarations(p);
	lap(sw, "resolve");
	if (!resolved)
		return false;
	for (u32 i = 0; i < p->files.n; i++)
		check_code(p, i, t, i == 0);
	lap(sw, "check");
	if (diag_error_count || !make_entry(p, t) || !link_program(p, t))
		return false;
	lap(sw, "link");
	Buf b = {0};
	if (o->dump & DUMP_CODE) { /* the encoder's output, at its final addresses */
		buf_printf(&b, "# after encoding #\n");
		dump_listing(p, &b);
		buf_write(&b, stderr);
		b.n = 0;
	}
	if (o->dump & DUMP_LINK) {
		dump_link(p, &b);
		buf_write(&b, stderr);
		b.n = 0;
	}
	if (o->listing) {
		dump_listing(p, &b);
		buf_write(&b, stdout);
	}
	buf_free(&b);
	if (o->check_only || !o->out)
		return true;
	bool written = write_elf(p, t, o->out);
	lap(sw, "write");
	return written;
}

static int run(int argc, char **argv)
{
	Options o = {0};
	int status = parse_options(argc, argv, &o);
	if (status < 0) {
		Program p;
		Stopwatch sw;
		stopwatch_start(&sw, o.timing);
		program_init(&p, &o);
		bool loaded = load_files(&p, &o);
		lap(&sw, "read");
		bool ok = loaded && assemble(&p, &o, &T_amd64, &sw);
		jobs_reap(&p);
		stopwatch_report(&sw, &p);
		status = ok && !diag_error_count ? 0 : 1;
		program_free(&p);
		T_amd64.release();
	}
	vec_free(&o.files);
	return status;
}

/* ---- the stack ----------------------------------------------------------------------
 * Input nested up to the limits (NEST_MAX) needs STACK_BYTES of stack,
 * more than the usual 8 MB.  The main thread's stack grows up to the soft
 * RLIMIT_STACK in force when it faults, and Linux keeps at least 128 MB
 * free below it, so raising the soft limit is enough where the hard limit
 * allows; the workers (-j) inherit it.  Where it does not, nifasm runs on
 * a thread with a stack of that size: the limits, and so the messages,
 * never depend on the environment. */

static bool raise_stack_limit(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_STACK, &r) != 0)
		return false;
	if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur >= STACK_BYTES)
		return true;
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < STACK_BYTES)
		return false;
	r.rlim_cur = STACK_BYTES;
	return setrlimit(RLIMIT_STACK, &r) == 0;
}

typedef struct Args {
	int argc;
	char **argv;
	int status;
} Args;

static void *run_thread(void *arg)
{
	Args *a = arg;
	a->status = run(a->argc, a->argv);
	return NULL;
}

int main(int argc, char **argv)
{
	if (raise_stack_limit())
		return run(argc, argv);
	Args a = {argc, argv, 1};
	pthread_attr_t attr;
	pthread_t th;
	int e = pthread_attr_init(&attr);
	if (!e)
		e = pthread_attr_setstacksize(&attr, STACK_BYTES);
	if (!e)
		e = pthread_create(&th, &attr, run_thread, &a);
	if (e) {
		error_plain("nifasm", "cannot make a stack of %u MB: %s", STACK_BYTES >> 20, strerror(e));
		return 1;
	}
	pthread_join(th, NULL);
	return a.status;
}
