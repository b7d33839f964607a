/* hazard.c - the static hazard checker: warns where the pipeline makes a
 * program do something other than what its text says.
 *
 * 1. The pipeline graph.  Which instruction runs right before another
 *    depends on the jumps still in flight (delay slots), so a node is an
 *    instruction together with the jumps pending when it runs: (pc, the
 *    targets landing in the next 4 cycles).  The graph is built from
 *    address 0 with the simulator's rules; its edges are exactly "runs in
 *    the next cycle".  A `return` may go to every call's return address.
 * 2. Constant propagation over the graph: the value of every register and
 *    flag at the end of each node's cycle, where it is the same on every
 *    path (otherwise unknown).
 * 3. Every node is checked against each chain of the 3 instructions that
 *    can run before it (T-1, T-2, T-3): the flags an `if` or `addco` sees,
 *    the i and register a store or load sees, what `tmp` holds, and which
 *    instructions sit in delay slots.
 * Warnings are collected, sorted by address and printed once each.
 */
#include "cpu8.h"

#include <stdio.h>

enum {
	QUEUE = 4,               /* jumps pending for cycles T+1 .. T+4 */
	NO_TARGET = 0xffff,
	MAX_NODES = 1 << 18,     /* beyond this the checker gives up */
	RESET = NONE,            /* the "instruction" before the first one */
	NEXT_LOAD = 1, NEXT_STORE = 2,
	ABS_FLAG = CPU8_NREGS,   /* abstract values: registers, then flags */
	ABS_N = ABS_FLAG + CPU8_NFLAGS,
	TAB = 8,
};

typedef struct Pending {
	u16 target, from; /* landing address, address of the branch */
} Pending;

typedef struct Node {
	u16 pc;
	Pending q[QUEUE]; /* q[j]: the jump landing in cycle T+1+j */
} Node;

/* What is known about the machine at the end of a cycle. */
typedef struct Abs {
	u32 known; /* bit k: v[k] is the value on every path */
	u8 v[ABS_N];
	bool reached;
} Abs;

typedef enum {
	W_FLAGS, W_CARRY, W_TMP, W_STORE_ADDR, W_STORE_DATA, W_LOAD_ADDR, W_BUS, W_UNMAPPED,
	W_SLOT, W_FALL_OFF, NWARN
} WarnKind;

typedef struct Warning {
	u32 pc, kind, text; /* text: offset of a NUL-terminated message in texts */
} Warning;

typedef struct Checker {
	SrcFile *src;
	const Cpu8Prog *prog;
	VEC(Node) nodes;
	u32 *table; /* node index + 1 by hash of the node; 0 empty */
	u32 mask;
	VEC(u32) edge_from, edge_to;
	U32Vec pred_start, preds; /* predecessors of node k: preds[pred_start[k]..[k+1]] */
	U32Vec ret_addrs;         /* where a `return` may go */
	Abs *out;
	u8 *next_ops; /* per node: NEXT_* bits true of every successor */
	bool *said; /* [kind * CPU8_MAX_PROGRAM + pc]: warned already */
	VEC(Warning) warnings;
	Buf texts;
	bool gave_up;
} Checker;

/* ---- 1. the pipeline graph ---------------------------------------------------- */

static u32 node_hash(const Node *n) { return hash_bytes((const char *)n, sizeof *n); }

static void table_grow(Checker *ck)
{
	u32 size = ck->mask ? (ck->mask + 1) * 2 : 1024;
	free(ck->table);
	ck->table = xcalloc(size, sizeof(u32));
	ck->mask = size - 1;
	for (u32 k = 0; k < ck->nodes.n; k++) {
		u32 h = node_hash(&ck->nodes.v[k]) & ck->mask;
		while (ck->table[h])
			h = (h + 1) & ck->mask;
		ck->table[h] = k + 1;
	}
}

/* The index of a node, added if new (NONE when the graph is too big). */
static u32 node_index(Checker *ck, const Node *n)
{
	if (2 * (ck->nodes.n + 1) > ck->mask)
		table_grow(ck);
	u32 h = node_hash(n) & ck->mask;
	for (; ck->table[h]; h = (h + 1) & ck->mask)
		if (!memcmp(&ck->nodes.v[ck->table[h] - 1], n, sizeof *n))
			return ck->table[h] - 1;
	if (ck->nodes.n == MAX_NODES) {
		ck->gave_up = true;
		return NONE;
	}
	vec_push(&ck->nodes, *n);
	ck->table[h] = ck->nodes.n;
	return ck->nodes.n - 1;
}

static const Cpu8Ins *ins_at(const Checker *ck, u32 node)
{
	return node == RESET ? NULL : &ck->prog->ins.v[ck->nodes.v[node].pc];
}

static void warn(Checker *ck, u32 pc, WarnKind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Moves from node `from` to the next cycle, given the jumps pending after
 * it ran (r[j] lands in cycle T+1+j). */
static void follow(Checker *ck, u32 from, const Pending r[QUEUE + 1])
{
	u16 pc = ck->nodes.v[from].pc;
	Node next = {.pc = r[0].target != NO_TARGET ? r[0].target : (u16)((pc + 1) % CPU8_MAX_PROGRAM)};
	for (u32 j = 0; j < QUEUE; j++)
		next.q[j] = r[j + 1];
	if (next.pc >= ck->prog->ins.n) {
		bool jumps = false;
		for (u32 j = 1; j <= QUEUE; j++)
			jumps |= r[j].target != NO_TARGET;
		if (r[0].target == NO_TARGET)
			warn(ck, pc, W_FALL_OFF, "%s",
			     jumps ? "the program ends inside the delay slots of a jump: the empty memory after it halts the CPU before the jump lands"
				   : "execution runs past the end of the program here: the empty memory after it halts the CPU");
		return; /* empty program memory: halt */
	}
	u32 to = node_index(ck, &next);
	if (to != NONE) {
		vec_push(&ck->edge_from, from);
		vec_push(&ck->edge_to, to);
	}
}

/* A branch's target lands `slots` + 1 cycles later, unless an older jump
 * lands then (as in the simulator). */
static void add_jump(Pending r[QUEUE + 1], u32 slots, u32 target, u16 from)
{
	if (r[slots].target == NO_TARGET)
		r[slots] = (Pending){(u16)target, from};
}

static void successors(Checker *ck, u32 node)
{
	Node cur = ck->nodes.v[node];
	const Cpu8Ins *in = &ck->prog->ins.v[cur.pc];
	u32 slots = cpu8_ops[in->op].slots;
	Pending r[QUEUE + 1], taken[QUEUE + 1];
	memcpy(r, cur.q, sizeof cur.q);
	r[QUEUE] = (Pending){NO_TARGET, 0};
	memcpy(taken, r, sizeof r);
	switch (in->op) {
	case OP_HALT: return;
	case OP_IF: add_jump(taken, slots, in->imm, cur.pc); follow(ck, node, taken); break;
	case OP_GOTO:
	case OP_CALL: add_jump(r, slots, in->imm, cur.pc); break;
	case OP_RETURN:
		for (u32 k = 0; k < ck->ret_addrs.n; k++) {
			memcpy(taken, r, sizeof r);
			add_jump(taken, slots, ck->ret_addrs.v[k], cur.pc);
			follow(ck, node, taken);
		}
		return;
	}
	follow(ck, node, r);
}

/* Which nodes are always followed by a load, or by a store: a run of
 * accesses is what makes a late pointer deliberate (the seed's pro tips). */
static void note_next_ops(Checker *ck)
{
	ck->next_ops = xcalloc(ck->nodes.n ? ck->nodes.n : 1, 1);
	for (u32 k = 0; k < ck->nodes.n; k++)
		ck->next_ops[k] = NEXT_LOAD | NEXT_STORE;
	for (u32 k = 0; k < ck->nodes.n; k++)
		if (ins_at(ck, k)->op == OP_HALT)
			ck->next_ops[k] = 0;
	for (u32 e = 0; e < ck->edge_to.n; e++) {
		u8 op = ins_at(ck, ck->edge_to.v[e])->op;
		ck->next_ops[ck->edge_from.v[e]] &= (op == OP_LOAD ? NEXT_LOAD : 0) | (op == OP_STORE ? NEXT_STORE : 0);
	}
}

static void build_preds(Checker *ck)
{
	u32 n = ck->nodes.n;
	vec_reserve(&ck->pred_start, n + 1);
	memset(ck->pred_start.v, 0, (n + 1) * sizeof(u32));
	ck->pred_start.n = n + 1;
	ck->pred_start.v[1]++; /* the reset runs before node 0 */
	for (u32 e = 0; e < ck->edge_to.n; e++)
		ck->pred_start.v[ck->edge_to.v[e] + 1]++;
	for (u32 k = 0; k < n; k++)
		ck->pred_start.v[k + 1] += ck->pred_start.v[k];
	vec_reserve(&ck->preds, ck->pred_start.v[n]);
	ck->preds.n = ck->pred_start.v[n];
	U32Vec fill = {0};
	vec_reserve(&fill, n);
	memcpy(fill.v, ck->pred_start.v, n * sizeof(u32));
	ck->preds.v[fill.v[0]++] = RESET;
	for (u32 e = 0; e < ck->edge_to.n; e++)
		ck->preds.v[fill.v[ck->edge_to.v[e]]++] = ck->edge_from.v[e];
	vec_free(&fill);
	note_next_ops(ck);
}

static void build_graph(Checker *ck)
{
	const Cpu8Prog *p = ck->prog;
	for (u32 k = 0; k < p->ins.n; k++)
		if (p->ins.v[k].op == OP_CALL)
			vec_push(&ck->ret_addrs, (k + cpu8_ops[OP_CALL].slots + 1) % CPU8_MAX_PROGRAM);
	Node start = {0};
	for (u32 j = 0; j < QUEUE; j++)
		start.q[j] = (Pending){NO_TARGET, 0};
	node_index(ck, &start);
	for (u32 k = 0; k < ck->nodes.n && !ck->gave_up; k++)
		successors(ck, k);
	build_preds(ck);
}

/* ---- 2. constant propagation -------------------------------------------------- */

static Abs reset_state(void)
{
	Abs s = {.known = (1u << ABS_N) - 1, .reached = true};
	return s;
}

static bool is_known(const Abs *s, u32 k) { return s->known >> k & 1; }

static void set_value(Abs *s, u32 k, bool known, unsigned v)
{
	s->known = known ? s->known | 1u << k : s->known & ~(1u << k);
	s->v[k] = known ? (u8)v : 0;
}

/* Ops whose carry out is always 0 (the logic ops), from the ALU table. */
static bool never_carries(u32 op) { return cpu8_ops[op].format == FMT_RRR && !(cpu8_alu(op, 255, 255, 1) >> 8); }

/* The result bus of an instruction, and its carry: known or not. */
static void result_bus(const Abs *s, const Cpu8Ins *in, bool known[2], unsigned v[2])
{
	known[0] = known[1] = true;
	v[0] = v[1] = 0;
	switch (cpu8_ops[in->op].format) {
	case FMT_RRR: {
		bool args = is_known(s, in->a) && is_known(s, in->b) &&
			    (in->op != OP_ADDCO || is_known(s, ABS_FLAG + FLAG_COUT));
		unsigned r = cpu8_alu(in->op, s->v[in->a], s->v[in->b], s->v[ABS_FLAG + FLAG_COUT]);
		known[0] = args, v[0] = r & 0xff;
		known[1] = args || never_carries(in->op), v[1] = args ? r >> 8 : 0;
		break;
	}
	case FMT_RI: v[0] = in->imm; break;
	default: known[0] = in->op != OP_LOAD; break;
	}
}

static Abs transfer(const Abs *s, const Cpu8Ins *in)
{
	Abs o = *s;
	bool known[2];
	unsigned v[2];
	result_bus(s, in, known, v);
	set_value(&o, cpu8_dest(in), known[0], v[0]);
	set_value(&o, R_TMP, known[0], v[0]);
	set_value(&o, R_ZERO, true, 0);
	set_value(&o, ABS_FLAG + FLAG_ZERO, known[0], v[0] == 0);
	set_value(&o, ABS_FLAG + FLAG_ODD, known[0], v[0] & 1);
	set_value(&o, ABS_FLAG + FLAG_COUT, known[1], v[1]);
	return o;
}

static void join(Abs *into, const Abs *s)
{
	if (!into->reached) {
		*into = *s;
		return;
	}
	for (u32 k = 0; k < ABS_N; k++)
		if (is_known(into, k) && (!is_known(s, k) || s->v[k] != into->v[k]))
			set_value(into, k, false, 0);
}

static bool same_state(const Abs *x, const Abs *y)
{
	return x->reached == y->reached && x->known == y->known && !memcmp(x->v, y->v, sizeof x->v);
}

static Abs state_after(const Checker *ck, u32 node)
{
	return node == RESET ? reset_state() : ck->out[node];
}

static void propagate(Checker *ck)
{
	u32 n = ck->nodes.n;
	ck->out = xcalloc(n ? n : 1, sizeof(Abs));
	for (bool changed = true; changed;) {
		changed = false;
		for (u32 k = 0; k < n; k++) {
			Abs in = {0};
			for (u32 e = ck->pred_start.v[k]; e < ck->pred_start.v[k + 1]; e++) {
				Abs p = state_after(ck, ck->preds.v[e]);
				if (p.reached)
					join(&in, &p);
			}
			if (!in.reached)
				continue;
			Abs o = transfer(&in, ins_at(ck, k));
			if (!same_state(&o, &ck->out[k])) {
				ck->out[k] = o;
				changed = true;
			}
		}
	}
}

/* ---- warnings ------------------------------------------------------------------- */

static void warn(Checker *ck, u32 pc, WarnKind kind, const char *fmt, ...)
{
	bool *said = &ck->said[kind * CPU8_MAX_PROGRAM + pc];
	if (*said)
		return;
	*said = true;
	Warning w = {pc, kind, (u32)ck->texts.n};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&ck->texts, fmt, ap);
	va_end(ap);
	buf_byte(&ck->texts, 0);
	vec_push(&ck->warnings, w);
}

static int by_address(const void *x, const void *y)
{
	const Warning *a = x, *b = y;
	return a->pc != b->pc ? (a->pc > b->pc) - (a->pc < b->pc) : (a->kind > b->kind) - (a->kind < b->kind);
}

static void print_warnings(Checker *ck)
{
	if (ck->warnings.n > 1)
		qsort(ck->warnings.v, ck->warnings.n, sizeof(Warning), by_address);
	for (u32 k = 0; k < ck->warnings.n; k++) {
		const Warning *w = &ck->warnings.v[k];
		warning_at(ck->src, ck->prog->ins.v[w->pc].pos, "%s", (const char *)ck->texts.p + w->text);
	}
}

/* ---- 3. the checks -------------------------------------------------------------- */

/* The instructions that can run in cycles T, T-1, T-2, T-3. */
typedef struct Chain {
	u32 node[4];
	const Cpu8Ins *ins[4]; /* NULL for the reset */
} Chain;

/* Text of an instruction for a message: "`ldi i 52` (line 3)". */
typedef struct Quote {
	char text[96];
} Quote;

static Quote quote(const Checker *ck, const Cpu8Ins *in)
{
	Quote q;
	if (!in) {
		snprintf(q.text, sizeof q.text, "the reset");
		return q;
	}
	u32 len = MIN(in->end - in->pos, 60u);
	snprintf(q.text, sizeof q.text, "`%.*s` (line %u)", (int)len, ck->src->text + in->pos, in->line);
	return q;
}

/* " 52" or "" for a value that is only known on some paths. */
typedef struct Value {
	char text[8];
} Value;

static Value value_of(const Checker *ck, u32 node, u32 k)
{
	Value v = {""};
	Abs s = state_after(ck, node);
	if (is_known(&s, k))
		snprintf(v.text, sizeof v.text, " %u", s.v[k]);
	return v;
}

static bool writes(const Cpu8Ins *in, unsigned reg) { return in && reg != R_ZERO && cpu8_dest(in) == reg; }

/* Whether a flag an instruction leaves is the same whatever the data; sets
 * *v to it.  Instructions without a result drive 0 on the result bus. */
static bool constant_flag(const Cpu8Ins *in, unsigned flag, unsigned *v)
{
	if (!in) {
		*v = 0;
		return true;
	}
	u8 fmt = cpu8_ops[in->op].format;
	if (fmt == FMT_RI) {
		*v = flag == FLAG_ZERO ? in->imm == 0 : flag == FLAG_ODD ? in->imm & 1 : 0;
		return true;
	}
	if (in->op != OP_LOAD && (fmt != FMT_RRR || cpu8_is_noop(in))) {
		*v = flag == FLAG_ZERO;
		return true;
	}
	*v = 0;
	return flag == FLAG_COUT && (in->op == OP_LOAD || never_carries(in->op));
}

static bool sets_flags(const Cpu8Ins *in)
{
	return in && ((cpu8_ops[in->op].format == FMT_RRR && !cpu8_is_noop(in)) || in->op == OP_LOAD);
}

/* "; the flags of `cmp a c` (line 2) are gone" when the instruction right
 * before sets none and the one before that did. */
static void missed_setter(const Checker *ck, const Chain *c, const char *what, char *out, size_t size)
{
	out[0] = 0;
	if (!sets_flags(c->ins[1]) && sets_flags(c->ins[2]))
		snprintf(out, size, "; the %s of %s %s gone", what, quote(ck, c->ins[2]).text,
			 !strcmp(what, "flags") ? "are" : "is");
}

static void check_if(Checker *ck, const Chain *c)
{
	const Cpu8Ins *in = c->ins[0];
	unsigned flag = in->d & ~CPU8_COND_NOT, v;
	if (!constant_flag(c->ins[1], flag, &v))
		return;
	const char *taken = v != !!(in->d & CPU8_COND_NOT) ? "always" : "never";
	u32 pc = ck->nodes.v[c->node[0]].pc;
	if (!c->ins[1]) {
		warn(ck, pc, W_FLAGS, "this `if` runs first: it sees the flags of the reset, all clear, so the branch is %s taken",
		     taken);
		return;
	}
	char missed[128];
	missed_setter(ck, c, "flags", missed, sizeof missed);
	warn(ck, pc, W_FLAGS,
	     "`if` sees only the flags of the instruction right before it, %s, whose %s flag is always %u: the branch is %s taken%s",
	     quote(ck, c->ins[1]).text, cpu8_flag_names[flag], v, taken, missed);
}

static void check_addco(Checker *ck, const Chain *c)
{
	unsigned v;
	if (!constant_flag(c->ins[1], FLAG_COUT, &v))
		return;
	char missed[128];
	missed_setter(ck, c, "carry", missed, sizeof missed);
	warn(ck, ck->nodes.v[c->node[0]].pc, W_CARRY,
	     "`addco` adds the carry of the instruction right before it, %s, which is always %u%s",
	     quote(ck, c->ins[1]).text, v, missed);
}

static bool writes_tmp(const Cpu8Ins *in) { return in && cpu8_dest(in) == R_TMP; }

/* tmp is the result latch: it holds the previous instruction's result. */
static void check_tmp_read(Checker *ck, const Chain *c)
{
	const Cpu8Ins *in = c->ins[0];
	if ((in->a != R_TMP && in->b != R_TMP) || writes_tmp(c->ins[1]))
		return;
	warn(ck, ck->nodes.v[c->node[0]].pc, W_TMP,
	     "tmp lives one cycle: here it holds the result of %s:%s", quote(ck, c->ins[1]).text,
	     c->ins[1] ? value_of(ck, c->node[1], R_TMP).text : " 0");
}

static bool is_port(unsigned addr) { return addr >= PORT_CHAR && addr <= PORT_HEX; }
static bool is_unmapped(unsigned addr) { return addr >= RAM_SIZE && addr < PORT_CHAR; }

static void check_store(Checker *ck, const Chain *c)
{
	u32 pc = ck->nodes.v[c->node[0]].pc;
	unsigned r = c->ins[0]->d;
	bool run = ck->next_ops[c->node[0]] & NEXT_STORE;
	if (writes(c->ins[1], R_I) && !(run && writes(c->ins[2], R_I)))
		warn(ck, pc, W_STORE_ADDR,
		     "this store writes to the address `i` held 2 cycles ago:%s, not the%s set by %s; leave one instruction between them",
		     value_of(ck, c->node[2], R_I).text, value_of(ck, c->node[1], R_I).text,
		     quote(ck, c->ins[1]).text);
	if (r == R_TMP && !writes_tmp(c->ins[2]))
		warn(ck, pc, W_STORE_DATA,
		     "this store writes tmp as it was 2 cycles ago: the result of %s:%s",
		     quote(ck, c->ins[2]).text, value_of(ck, c->node[2], R_TMP).text);
	else if (r != R_TMP && writes(c->ins[1], r) && !(run && writes(c->ins[2], r)))
		warn(ck, pc, W_STORE_DATA,
		     "this store writes the value `%s` held 2 cycles ago:%s, not the%s set by %s; leave one instruction between them",
		     cpu8_reg_names[r], value_of(ck, c->node[2], r).text,
		     value_of(ck, c->node[1], r).text, quote(ck, c->ins[1]).text);
	Abs s = state_after(ck, c->node[2]);
	if (is_known(&s, R_I) && is_unmapped(s.v[R_I]))
		warn(ck, pc, W_UNMAPPED, "this store writes to address %u, which is not mapped: nothing is written",
		     s.v[R_I]);
}

/* A load meant for the data stack: the stack sees i 2 cycles late, so a
 * pointer written right before the load is not seen yet. */
static void check_stack_load(Checker *ck, const Chain *c, u32 pc)
{
	Abs seen = state_after(ck, c->node[2]);
	if (!writes(c->ins[1], R_I) || (is_known(&seen, R_I) && seen.v[R_I] == STACK_ADDR))
		return;
	warn(ck, pc, W_LOAD_ADDR,
	     "the data stack sees `i` 2 cycles late: this load uses the address `i` held 2 cycles ago:%s, not 127 from %s; leave one instruction between them",
	     value_of(ck, c->node[2], R_I).text, quote(ck, c->ins[1]).text);
}

/* A load meant for RAM: RAM sees i 3 cycles late. */
static void check_ram_load(Checker *ck, const Chain *c, u32 pc)
{
	int last = writes(c->ins[1], R_I) ? 1 : writes(c->ins[2], R_I) ? 2 : 0;
	bool run = ck->next_ops[c->node[0]] & NEXT_LOAD;
	if (!last || (run && writes(c->ins[3], R_I)))
		return;
	warn(ck, pc, W_LOAD_ADDR,
	     "RAM sees `i` 3 cycles late: this load reads the address `i` held 3 cycles ago:%s, not the%s set by %s; leave two instructions between them",
	     value_of(ck, c->node[3], R_I).text, value_of(ck, c->node[1], R_I).text,
	     quote(ck, c->ins[last]).text);
}

static void check_load(Checker *ck, const Chain *c)
{
	u32 pc = ck->nodes.v[c->node[0]].pc;
	Abs now = state_after(ck, c->node[1]), sel = state_after(ck, c->node[2]),
	    ram = state_after(ck, c->node[3]);
	if (is_known(&now, R_I) && now.v[R_I] == STACK_ADDR)
		check_stack_load(ck, c, pc);
	else
		check_ram_load(ck, c, pc);
	bool stack = is_known(&sel, R_I) && sel.v[R_I] == STACK_ADDR;
	if (stack && is_known(&ram, R_I) && ram.v[R_I] < RAM_SIZE)
		warn(ck, pc, W_BUS,
		     "RAM and the data stack share the bus: `i` was %u 3 cycles ago and 127 2 cycles ago, so this load reads ram[%u] | stack.pop()",
		     ram.v[R_I], ram.v[R_I]);
	if (!is_known(&sel, R_I) || !is_known(&ram, R_I) || ram.v[R_I] < RAM_SIZE)
		return;
	if (is_port(sel.v[R_I]))
		warn(ck, pc, W_UNMAPPED, "port %u cannot be read: this load reads 0", sel.v[R_I]);
	else if (is_unmapped(sel.v[R_I]))
		warn(ck, pc, W_UNMAPPED, "address %u is not mapped: this load reads 0", sel.v[R_I]);
}

/* Visual column of a source position, tabs to multiples of 8. */
static u32 indent_of(SrcFile *src, u32 pos)
{
	u32 start = pos;
	while (start > 0 && src->text[start - 1] != '\n')
		start--;
	u32 col = 0;
	for (u32 k = start; k < pos; k++)
		col = src->text[k] == '\t' ? (col / TAB + 1) * TAB : col + 1;
	return col;
}

/* An instruction that runs in a delay slot is meant to when it is a noop or
 * indented deeper than its branch. */
static void check_slots(Checker *ck, u32 node)
{
	const Node *n = &ck->nodes.v[node];
	const Cpu8Ins *in = &ck->prog->ins.v[n->pc];
	for (u32 j = 0; j < QUEUE && !cpu8_is_noop(in); j++) {
		if (n->q[j].target == NO_TARGET)
			continue;
		const Cpu8Ins *br = &ck->prog->ins.v[n->q[j].from];
		if (indent_of(ck->src, in->pos) > indent_of(ck->src, br->pos))
			continue;
		warn(ck, n->pc, W_SLOT,
		     "this instruction runs in a delay slot of %s, before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant",
		     quote(ck, br).text);
	}
}

static void check_chain(Checker *ck, const Chain *c)
{
	const Cpu8Ins *in = c->ins[0];
	switch (in->op) {
	case OP_IF: check_if(ck, c); break;
	case OP_STORE: check_store(ck, c); break;
	case OP_LOAD: check_load(ck, c); break;
	case OP_ADDCO: check_addco(ck, c); break;
	}
	if (cpu8_ops[in->op].format == FMT_RRR)
		check_tmp_read(ck, c);
}

static u32 pred_count(const Checker *ck, u32 node)
{
	return node == RESET ? 1 : ck->pred_start.v[node + 1] - ck->pred_start.v[node];
}

static u32 pred(const Checker *ck, u32 node, u32 k)
{
	return node == RESET ? RESET : ck->preds.v[ck->pred_start.v[node] + k];
}

/* Checks node against every chain of instructions that can run before it. */
static void check_node(Checker *ck, u32 node)
{
	Chain c = {{node}, {ins_at(ck, node)}};
	for (u32 a = 0; a < pred_count(ck, node); a++) {
		c.node[1] = pred(ck, node, a);
		for (u32 b = 0; b < pred_count(ck, c.node[1]); b++) {
			c.node[2] = pred(ck, c.node[1], b);
			for (u32 d = 0; d < pred_count(ck, c.node[2]); d++) {
				c.node[3] = pred(ck, c.node[2], d);
				for (u32 k = 1; k < 4; k++)
					c.ins[k] = ins_at(ck, c.node[k]);
				check_chain(ck, &c);
			}
		}
	}
	check_slots(ck, node);
}

void cpu8_check_hazards(SrcFile *src, const Cpu8Prog *prog)
{
	Checker ck = {.src = src, .prog = prog};
	ck.said = xcalloc(NWARN * CPU8_MAX_PROGRAM, sizeof(bool));
	if (prog->ins.n > 0 && prog->ins.n <= CPU8_MAX_PROGRAM) {
		build_graph(&ck);
		if (ck.gave_up) {
			warning_at(src, prog->ins.v[0].pos,
				   "hazard checks skipped: the program has more than %u pipeline states",
				   MAX_NODES);
		} else {
			propagate(&ck);
			for (u32 k = 0; k < ck.nodes.n; k++)
				check_node(&ck, k);
			print_warnings(&ck);
		}
	}
	vec_free(&ck.nodes);
	free(ck.table);
	vec_free(&ck.edge_from);
	vec_free(&ck.edge_to);
	vec_free(&ck.pred_start);
	vec_free(&ck.preds);
	vec_free(&ck.ret_addrs);
	vec_free(&ck.warnings);
	buf_free(&ck.texts);
	free(ck.out);
	free(ck.next_ops);
	free(ck.said);
}
