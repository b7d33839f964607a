/* sim.c - the cycle-accurate cpu8 simulator.
 *
 * One instruction executes per cycle; the pipeline shows only through the
 * timing rules of docs/cpu8.md, which this file implements literally:
 *   - registers, flags and the result latch `tmp` change at the end of the
 *     cycle, and the next instruction sees them;
 *   - the memory unit sees the registers two cycles late (hist[]), RAM
 *     loads three;
 *   - a branch schedules its target for a later cycle (redirect[]).
 */
#include "cpu8.h"

#include <inttypes.h>
#include <stdio.h>

enum { HIST = 4, REDIRECTS = 8, NO_REDIRECT = -1, OUT_FLUSH = 1 << 16 };

typedef enum { RUN_ON, RUN_HALT, RUN_ERROR } RunState;

typedef struct Machine {
	u8 r[16];           /* registers by code; r[R_TMP] is the result latch */
	u8 hist[HIST][16];  /* r at the end of cycle k, in hist[k % HIST] */
	u8 flag[CPU8_NFLAGS]; /* flags of the previous cycle's instruction */
	u8 ram[RAM_SIZE];
	i16 redirect[REDIRECTS]; /* target fetched in cycle k, at k % REDIRECTS */
	u8 pc;
	u64 cycle;
	VEC(u8) stack; /* the data stack at address 127 */
	VEC(u8) calls; /* return addresses */
	Buf out;       /* port output not yet written */
	const char *error; /* the runtime error that stopped the machine */
	Cpu8Ins prog[CPU8_MAX_PROGRAM]; /* past the program: zero words, halt */
} Machine;

static void flush_output(Machine *m)
{
	fwrite(m->out.p, 1, m->out.n, stdout);
	fflush(stdout);
	m->out.n = 0;
}

/* Every instruction drives the result bus: its result, or 0 when it has
 * none.  The bus becomes the destination register, the result latch
 * `tmp`, and the flags. */
static inline void finish(Machine *m, unsigned d, unsigned bus, unsigned carry)
{
	m->r[d] = (u8)bus;
	m->r[R_TMP] = (u8)bus;
	m->r[R_ZERO] = 0;
	m->flag[FLAG_ZERO] = (u8)bus == 0;
	m->flag[FLAG_ODD] = bus & 1;
	m->flag[FLAG_COUT] = (u8)carry;
}

/* A branch's target is fetched `slots` + 1 cycles later.  When two jumps
 * land in the same cycle, the older branch (scheduled first) wins. */
static inline void schedule(Machine *m, unsigned slots, unsigned target)
{
	i16 *r = &m->redirect[(m->cycle + slots + 1) % REDIRECTS];
	if (*r == NO_REDIRECT)
		*r = (i16)target;
}

static inline const u8 *regs_ago(const Machine *m, unsigned cycles)
{
	return m->hist[(m->cycle - cycles) % HIST];
}

static void write_port(Machine *m, unsigned port, u8 v)
{
	switch (port) {
	case PORT_CHAR: buf_byte(&m->out, v); break;
	case PORT_UNSIGNED: buf_printf(&m->out, "%u\n", v); break;
	case PORT_SIGNED: buf_printf(&m->out, "%d\n", (i8)v); break;
	case PORT_HEX: buf_printf(&m->out, "%02x\n", v); break;
	}
	if (m->out.n >= OUT_FLUSH)
		flush_output(m);
}

/* The store takes i and its register as they were two cycles ago. */
static void store(Machine *m, unsigned reg)
{
	const u8 *seen = regs_ago(m, MEM_LAG);
	u8 addr = seen[R_I], v = seen[reg];
	if (addr < RAM_SIZE)
		m->ram[addr] = v;
	else if (addr == STACK_ADDR)
		vec_push(&m->stack, v);
	else
		write_port(m, addr, v);
}

/* RAM answers for the address i had three cycles ago, the data stack for
 * the one it had two cycles ago; they share the bus, so when both answer
 * the load reads both values ORed.  Ports and unmapped addresses read 0. */
static RunState load(Machine *m, unsigned *v)
{
	u8 ram_addr = regs_ago(m, RAM_LOAD_LAG)[R_I], sel = regs_ago(m, MEM_LAG)[R_I];
	*v = ram_addr < RAM_SIZE ? m->ram[ram_addr] : 0;
	if (sel != STACK_ADDR)
		return RUN_ON;
	if (m->stack.n == 0) {
		m->error = "load from the empty data stack";
		return RUN_ERROR;
	}
	*v |= m->stack.v[--m->stack.n];
	return RUN_ON;
}

static RunState branch(Machine *m, const Cpu8Ins *in)
{
	unsigned target = in->imm;
	switch (in->op) {
	case OP_IF: {
		unsigned flag = m->flag[in->d & ~CPU8_COND_NOT];
		if (flag == !(in->d & CPU8_COND_NOT))
			schedule(m, cpu8_ops[OP_IF].slots, target);
		return RUN_ON;
	}
	case OP_CALL: vec_push(&m->calls, (u8)(m->pc + cpu8_ops[OP_CALL].slots + 1)); break;
	case OP_RETURN:
		if (m->calls.n == 0) {
			m->error = "return with an empty call stack";
			return RUN_ERROR;
		}
		target = m->calls.v[--m->calls.n];
		break;
	}
	schedule(m, cpu8_ops[in->op].slots, target);
	return RUN_ON;
}

static inline RunState execute(Machine *m, const Cpu8Ins *in)
{
	unsigned v = 0;
	RunState s = RUN_ON;
	switch (in->op) {
	case OP_HALT: return RUN_HALT;
	case OP_LDI: finish(m, in->d, in->imm, 0); return RUN_ON;
	case OP_LOAD:
		s = load(m, &v);
		finish(m, in->d, v, 0);
		return s;
	case OP_STORE: store(m, in->d); break;
	case OP_IF:
	case OP_GOTO:
	case OP_CALL:
	case OP_RETURN: s = branch(m, in); break;
	default:
		v = cpu8_alu(in->op, m->r[in->a], m->r[in->b], m->flag[FLAG_COUT]);
		finish(m, in->d, v & 0xff, v >> 8);
		return RUN_ON;
	}
	finish(m, R_ZERO, 0, 0);
	return s;
}

/* Starts cycle m->cycle + 1: fetches from a jump target landing now, or
 * from the next address. */
static inline const Cpu8Ins *fetch(Machine *m)
{
	i16 *r = &m->redirect[++m->cycle % REDIRECTS];
	if (*r != NO_REDIRECT) {
		m->pc = (u8)*r;
		*r = NO_REDIRECT;
	}
	return &m->prog[m->pc];
}

static inline void end_cycle(Machine *m)
{
	memcpy(m->hist[m->cycle % HIST], m->r, sizeof m->r);
	m->pc++;
}

static RunState run_fast(Machine *m, u64 max_cycles)
{
	RunState s = RUN_ON;
	while (s == RUN_ON && m->cycle < max_cycles) {
		s = execute(m, fetch(m));
		end_cycle(m);
	}
	return s;
}

/* ---- --trace ----------------------------------------------------------------- */

static void put_escaped(Buf *b, u8 c)
{
	if (c == '\n')
		buf_put(b, "\\n", 2);
	else if (c == '"' || c == '\\' || c < 32 || c > 126)
		buf_printf(b, "\\x%02x", c);
	else
		buf_byte(b, c);
}

/* What one cycle changed, from snapshots taken before it. */
static void trace_effects(const Machine *before, const Machine *m, Buf *b)
{
	for (unsigned r = R_A; r <= R_I; r++)
		if (before->r[r] != m->r[r])
			buf_printf(b, " %s=%u", cpu8_reg_names[r], m->r[r]);
	for (unsigned k = 0; k < RAM_SIZE; k++)
		if (before->ram[k] != m->ram[k])
			buf_printf(b, " ram[%u]=%u", k, m->ram[k]);
	if (m->stack.n > before->stack.n)
		buf_printf(b, " push %u", vec_last(&m->stack));
	if (m->stack.n < before->stack.n)
		buf_printf(b, " pop");
	if (m->out.n > before->out.n) {
		buf_put(b, " out \"", 6);
		for (size_t k = before->out.n; k < m->out.n; k++)
			put_escaped(b, m->out.p[k]);
		buf_byte(b, '"');
	}
	for (unsigned k = 1; k < REDIRECTS; k++) {
		u64 when = m->cycle + k;
		if (m->redirect[when % REDIRECTS] != before->redirect[when % REDIRECTS])
			buf_printf(b, " jump to %d in cycle %" PRIu64, m->redirect[when % REDIRECTS], when);
	}
	buf_printf(b, " tmp=%u flags=%c%c%c", m->r[R_TMP], m->flag[FLAG_ZERO] ? 'z' : '-',
		   m->flag[FLAG_ODD] ? 'o' : '-', m->flag[FLAG_COUT] ? 'c' : '-');
}

static RunState run_traced(Machine *m, u64 max_cycles)
{
	Machine *before = xmalloc(sizeof *m);
	Buf line = {0};
	RunState s = RUN_ON;
	while (s == RUN_ON && m->cycle < max_cycles) {
		const Cpu8Ins *in = fetch(m);
		*before = *m;
		s = execute(m, in);
		line.n = 0;
		buf_printf(&line, "%8" PRIu64 " %3u  ", m->cycle, m->pc);
		size_t text = line.n;
		cpu8_format_ins(in, &line);
		while (line.n < text + 20)
			buf_byte(&line, ' ');
		buf_put(&line, " |", 2);
		trace_effects(before, m, &line);
		fprintf(stderr, "%.*s\n", (int)line.n, (const char *)line.p);
		end_cycle(m);
	}
	buf_free(&line);
	free(before);
	return s;
}

/* ---- the run ------------------------------------------------------------------ */

static void runtime_error(const Machine *m, SrcFile *src, const char *path, const char *msg)
{
	const Cpu8Ins *in = &m->prog[m->pc];
	if (src && in->line)
		fprintf(stderr, "%s:%u: runtime error: %s\n", src->path, in->line, msg);
	else if (in->line)
		fprintf(stderr, "%s: runtime error: %s (pc %u, source line %u)\n", path, msg, m->pc,
			in->line);
	else
		fprintf(stderr, "%s: runtime error: %s (pc %u)\n", path, msg, m->pc);
}

static Machine *boot(const Cpu8Prog *prog)
{
	Machine *m = xcalloc(1, sizeof *m);
	memcpy(m->prog, prog->ins.v, prog->ins.n * sizeof(Cpu8Ins));
	for (unsigned k = 0; k < REDIRECTS; k++)
		m->redirect[k] = NO_REDIRECT;
	return m;
}

int cpu8_simulate(const Cpu8Prog *prog, SrcFile *src, const char *path, const IsaOpts *o)
{
	ASSERT(prog->ins.n <= CPU8_MAX_PROGRAM);
	Machine *m = boot(prog);
	RunState s = o->trace ? run_traced(m, o->max_cycles) : run_fast(m, o->max_cycles);
	flush_output(m);
	int status = 0;
	if (s == RUN_HALT) {
		fprintf(stderr, "cycles: %" PRIu64 "\n", m->cycle);
	} else if (s == RUN_ERROR) {
		m->pc--; /* end_cycle moved on */
		runtime_error(m, src, path, m->error);
		status = 2;
	} else {
		fprintf(stderr, "%s: runtime error: no halt within %" PRIu64 " cycles (see --max-cycles)\n",
			path, o->max_cycles);
		status = 2;
	}
	vec_free(&m->stack);
	vec_free(&m->calls);
	buf_free(&m->out);
	free(m);
	return status;
}
