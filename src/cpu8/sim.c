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
	u8 carry;           /* cout of the previous cycle's instruction */
	u8 ram[RAM_SIZE];
	i16 redirect[REDIRECTS]; /* target fetched in cycle k, at k % REDIRECTS */
	u8 pc;              /* of the last instruction run */
	u64 cycle;          /* cycles run; the loops keep both in locals */
	VEC(u8) stack; /* the data stack at address 127 */
	VEC(u8) calls; /* return addresses */
	Buf out;       /* port output not yet written */
	const char *error; /* the runtime error that stopped the machine */
	Cpu8Ins prog[CPU8_MAX_PROGRAM]; /* past the program: zero words, halt */
} Machine;

static void flush_output(Machine *m)
{
	buf_write(&m->out, stdout);
	fflush(stdout);
	m->out.n = 0;
}

#define HOT static inline __attribute__((always_inline))

/* Every instruction drives the result bus: its result, or 0 when it has
 * none.  The bus becomes the destination register and the result latch
 * `tmp`; zero and odd are read off the latch, cout is kept beside it. */
HOT void finish(Machine *m, unsigned d, unsigned bus, unsigned carry)
{
	m->r[d] = (u8)bus;
	m->r[R_TMP] = (u8)bus;
	m->r[R_ZERO] = 0;
	m->carry = (u8)carry;
}

static inline unsigned flag(const Machine *m, unsigned which)
{
	unsigned bus = m->r[R_TMP];
	return which == FLAG_ZERO ? bus == 0 : which == FLAG_ODD ? bus & 1 : m->carry;
}

/* A branch's target is fetched `slots` + 1 cycles later.  When two jumps
 * land in the same cycle, the older branch (scheduled first) wins. */
HOT void schedule(Machine *m, u64 cycle, unsigned slots, unsigned target)
{
	i16 *r = &m->redirect[(cycle + slots + 1) % REDIRECTS];
	if (*r == NO_REDIRECT)
		*r = (i16)target;
}

HOT const u8 *regs_ago(const Machine *m, u64 cycle, unsigned cycles)
{
	return m->hist[(cycle - cycles) % HIST];
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
static void store(Machine *m, u64 cycle, unsigned reg)
{
	const u8 *seen = regs_ago(m, cycle, MEM_LAG);
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
static RunState load(Machine *m, u64 cycle, unsigned *v)
{
	u8 ram_addr = regs_ago(m, cycle, RAM_LOAD_LAG)[R_I], sel = regs_ago(m, cycle, MEM_LAG)[R_I];
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

static RunState branch(Machine *m, const Cpu8Ins *in, u64 cycle, unsigned pc)
{
	unsigned target = in->imm;
	switch (in->op) {
	case OP_IF:
		if (flag(m, in->d & ~CPU8_COND_NOT) == !(in->d & CPU8_COND_NOT))
			schedule(m, cycle, cpu8_ops[OP_IF].slots, target);
		return RUN_ON;
	case OP_CALL: vec_push(&m->calls, (u8)(pc + cpu8_ops[OP_CALL].slots + 1)); break;
	case OP_RETURN:
		if (m->calls.n == 0) {
			m->error = "return with an empty call stack";
			return RUN_ERROR;
		}
		target = m->calls.v[--m->calls.n];
		break;
	}
	schedule(m, cycle, cpu8_ops[in->op].slots, target);
	return RUN_ON;
}

/* The instructions other than the ALU's. */
HOT RunState control(Machine *m, const Cpu8Ins *in, u64 cycle, unsigned pc)
{
	unsigned v = 0;
	RunState s = RUN_ON;
	switch (in->op) {
	case OP_HALT: return RUN_HALT;
	case OP_LDI: finish(m, in->d, in->imm, 0); return RUN_ON;
	case OP_LOAD:
		s = load(m, cycle, &v);
		finish(m, in->d, v, 0);
		return s;
	case OP_STORE: store(m, cycle, in->d); break;
	default: s = branch(m, in, cycle, pc); break;
	}
	finish(m, R_ZERO, 0, 0);
	return s;
}

/* Runs the instruction at pc in cycle `cycle`.  The ALU ops, most of the
 * work, are dispatched once: each gets a case computing its table
 * expression; the other ops go on to control(). */
HOT RunState execute(Machine *m, u64 cycle, unsigned pc)
{
	const Cpu8Ins *in = &m->prog[pc];
	unsigned a = m->r[in->a], b = m->r[in->b], c = m->carry, v;
	switch (in->op) {
#define ALU_CASE(name, spelling, code, fn, fmt, slots, alu) \
	case OP_##name:                                     \
		if (FMT_##fmt != FMT_RRR)                   \
			return control(m, in, cycle, pc);   \
		v = (alu);                                  \
		finish(m, in->d, v & 0xff, v >> 8);         \
		return RUN_ON;
		CPU8_OPS(ALU_CASE)
#undef ALU_CASE
	}
	die("bad op %u at %u", in->op, pc);
}

/* The address fetched in `cycle`: a jump target landing now, or the next
 * address. */
HOT unsigned fetch(Machine *m, u64 cycle, unsigned pc)
{
	i16 *r = &m->redirect[cycle % REDIRECTS];
	if (LIKELY(*r == NO_REDIRECT))
		return (pc + 1) % CPU8_MAX_PROGRAM;
	pc = (unsigned)*r;
	*r = NO_REDIRECT;
	return pc;
}

HOT void end_cycle(Machine *m, u64 cycle)
{
	memcpy(m->hist[cycle % HIST], m->r, sizeof m->r);
}

static RunState run_fast(Machine *m, u64 max_cycles)
{
	u64 cycle = m->cycle;
	unsigned pc = m->pc;
	RunState s = RUN_ON;
	while (s == RUN_ON && cycle < max_cycles) {
		pc = fetch(m, ++cycle, pc);
		s = execute(m, cycle, pc);
		end_cycle(m, cycle);
	}
	m->cycle = cycle;
	m->pc = (u8)pc;
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
	buf_printf(b, " tmp=%u flags=%c%c%c", m->r[R_TMP], flag(m, FLAG_ZERO) ? 'z' : '-',
		   flag(m, FLAG_ODD) ? 'o' : '-', flag(m, FLAG_COUT) ? 'c' : '-');
}

static RunState run_traced(Machine *m, u64 max_cycles)
{
	Machine *before = xmalloc(sizeof *m);
	Buf line = {0};
	RunState s = RUN_ON;
	while (s == RUN_ON && m->cycle < max_cycles) {
		m->pc = (u8)fetch(m, ++m->cycle, m->pc);
		*before = *m;
		s = execute(m, m->cycle, m->pc);
		const Cpu8Ins *in = &m->prog[m->pc];
		line.n = 0;
		buf_printf(&line, "%8" PRIu64 " %3u  ", m->cycle, m->pc);
		size_t text = line.n;
		cpu8_format_ins(in, &line);
		while (line.n < text + 20)
			buf_byte(&line, ' ');
		buf_put(&line, " |", 2);
		trace_effects(before, m, &line);
		fprintf(stderr, "%.*s\n", (int)line.n, (const char *)line.p);
		/* The port output goes out with its trace line: the buffer then
		 * never fills, so write_port never flushes it mid-cycle, which
		 * would hide the cycle's bytes from trace_effects. */
		if (m->out.n)
			flush_output(m);
		end_cycle(m, m->cycle);
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
	if (prog->ins.n)
		memcpy(m->prog, prog->ins.v, prog->ins.n * sizeof(Cpu8Ins));
	for (unsigned k = 0; k < REDIRECTS; k++)
		m->redirect[k] = NO_REDIRECT;
	m->pc = CPU8_MAX_PROGRAM - 1; /* the first fetch moves on to 0 */
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
