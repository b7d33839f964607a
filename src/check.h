/* check.h - the checker's internal interface, shared by its files:
 *
 *   check.c    driver, statements, instructions and their type rules
 *   decl.c     declarations: types, data, proc signatures
 *   operand.c  operands: registers, variables, immediates, addressing
 *   flow.c     the state that flows through a proc: bindings, liveness,
 *              rsp, saved registers; snapshots and joins
 *   call.c     checked calls
 *   cflow.c    structured control flow: ite, loop, cfvar, jtrue, labels
 */
#ifndef CHECK_H
#define CHECK_H

#include "nifasm.h"
#include "amd64/amd64int.h"

/* ---- variables -------------------------------------------------------------- */

typedef enum VarKind { V_VAR, V_PARAM, V_CFVAR } VarKind;
typedef enum VarLoc { LOC_REG, LOC_STACK, LOC_ARG } VarLoc;

typedef struct Var {
	u32 name;
	u8 kind;     /* VarKind */
	u8 loc;      /* VarLoc */
	u8 reg;      /* LOC_REG: family */
	u8 size;     /* LOC_REG: width of the register view */
	u32 type;
	u32 offset;  /* LOC_STACK: from the frame base; LOC_ARG: above [entry rsp + 8] */
	u32 pos;     /* declaration */
	u32 shadow;  /* the binding of the same name this one hides, or NONE */
	u32 slot;    /* its index in Unit.block_vars and in a flow's states */
	u32 label;   /* V_CFVAR: label of the then-branch of the ite that tests it */
	u32 tested;  /* V_CFVAR: position of that ite, NONE until seen */
	/* its last read recorded as exposed (use_var): the innermost loop's
	 * entry_seq (0: none yet) and its wseq then */
	u32 exp_loop, exp_wseq;
	u32 mark;    /* scratch: seen in the current pass over a loop's reads */
} Var;

typedef VEC(Var) VarVec;

/* A variable's state on one path. */
enum {
	VS_LIVE,      /* holds a value */
	VS_UNINIT,    /* declared without a value */
	VS_CLOBBERED, /* its register was changed behind its back */
	VS_KILLED,    /* ended by (kill ...) or by its block */
	/* cfvars */
	CF_FALSE, CF_TRUE, CF_UNKNOWN,
};

/* A variable (not a cfvar) in this state holds no value. */
static inline bool is_dead(u8 st) { return st == VS_UNINIT || st == VS_CLOBBERED || st == VS_KILLED; }

typedef struct VarState {
	u8 st;
	u8 why_reg;    /* VS_CLOBBERED: the register */
	u16 why_op;    /* VS_CLOBBERED by an instruction: its mnemonic, else 0 */
	u32 why_pos;   /* where it stopped being live */
	u32 why_callee;/* VS_CLOBBERED by a call: the callee's name, else NONE */
	u32 wseq;      /* sequence number of its last write on this path */
	u32 var;       /* the variable: a saved flow (an edge, a label) may hold
			* the slot of one whose block has ended since */
} VarState;
_Static_assert(sizeof(VarState) == 20, "VarState has no padding (same_state)");

/* ---- the flow state: merged where paths join -------------------------------- */

/* The states of the variables in scope, by slot, outermost first: a
 * persistent vector that flows share until they differ (states.c). */
enum { LEAF_BITS = 4, FAN_BITS = 4 };
#define VS_LEAF (1u << LEAF_BITS)
#define VS_FAN (1u << FAN_BITS)

/* A node's marks, bit i for its state i (a leaf) or its child i (an inner
 * node, all of whose states must be so): settled, and final (states.c). */
#define VS_SETTLED(i) (1u << (i))
#define VS_FINAL(i) (0x10000u << (i))
#define VS_MARKS(i) (0x10001u << (i))
#define VS_SETTLED_ALL 0xffffu
#define VS_FINAL_ALL 0xffff0000u
_Static_assert(VS_LEAF == 16 && VS_FAN == 16, "a node's marks are 16 bits of each kind");

typedef struct VsNode VsNode;
struct VsNode {
	u32 rc;    /* flows and inner nodes that point at it */
	u32 marks; /* VS_SETTLED, VS_FINAL */
	union {
		VarState st[VS_LEAF]; /* a leaf; those at or past the flow's n mean nothing */
		VsNode *kid[VS_FAN];  /* an inner node; NULL past the last slot ever pushed */
		VsNode *next_free;    /* on the free list */
	};
};

typedef struct VarStates {
	VsNode *root; /* NULL when n is 0 */
	u32 n;
	u32 depth;    /* levels of inner nodes above the leaves */
} VarStates;

typedef struct Flow {
	bool reachable;
	VarStates vs;
	u32 owner[NFAMILY];    /* variable bound to each register family, or NONE */
	/* rsp: bytes below the entry value = below + (frame ? ssize : 0) + extra */
	bool rsp_known;
	u32 rsp_lost;          /* where it became unknown */
	bool frame;            /* between (sub (rsp) (ssize)) and (add (rsp) (ssize)) */
	u32 below, extra;
	/* the callee side of the contract (procs only) */
	u32 written;           /* families changed since entry (merged with or) */
	u32 set;               /* families written on every path (merged with and) */
	u32 saved[NFAMILY];    /* depth at which the caller's value is pushed, or NONE */
	/* status flags (FL_*): which are undefined, and per flag why */
	u8 fl_undef;
	u8 fl_call;            /* of those, the ones a call made undefined (other bits stale) */
	u32 fl_pos[NFLAG];     /* where it became undefined; NONE: at the entry */
	u32 fl_name[NFLAG];    /* the callee's name or the mnemonic's tag; NONE: an unchecked call */
	u32 fl_wseq[NFLAG];    /* sequence number of its last change on this path */
} Flow;

/* ---- labels, pending jumps, structured frames ------------------------------- */

typedef struct Label {
	u32 name;
	u32 id;           /* the unit's label number */
	u32 use_pos;
	u32 def_pos;
	bool defined;
	bool ended_live;  /* a variable live here had ended at the last jump back */
	u32 ended_from;   /* the first slot of ended variables then, or NONE */
	Flow state;       /* the state at its definition */
} Label;

typedef struct LabelScope {
	VEC(Label) labels;
	VEC(u32) of_name; /* name id -> index in labels, NONE */
	VEC(u32) of_id;   /* label id -> index in labels, NONE (structured forms' ids too) */
} LabelScope;

/* A jump not yet at its target: a forward jump to a label, or a jtrue
 * waiting for the ite of one of its cfvars. */
typedef struct Edge {
	u32 first, n; /* jtrue: cfvars in Unit.edge_vars */
	u32 ins;      /* jtrue: its P_JTRUE, patched when the target is known */
	u32 next;     /* the next in its list (or in the free slots), or NONE */
	Flow flow;
} Edge;

/* Pending edges in the order they were taken, linked through Edge.next,
 * so a label finds its own jumps without looking at the others. */
typedef struct EdgeList {
	u32 first, last; /* NONE when empty */
} EdgeList;

typedef struct SlotState {
	u32 slot;
	VarState st;
} SlotState;

typedef struct Exposed {
	u32 var, pos; /* a variable read in a loop before the loop wrote it */
} Exposed;

typedef struct Loop {
	u32 entry_seq; /* writes after this happened inside the loop */
	VEC(Exposed) exposed; /* in the order read; a variable once, or a few times */
	u32 fl_read[NFLAG]; /* where the loop first reads each flag before changing it, or NONE */
} Loop;

/* ---- the checker ------------------------------------------------------------ */

/* One unit of code: the top-level code of a file, or one proc.  The
 * top-level unit stays open while the procs between its instructions are
 * checked, so a Checker holds two and swaps them. */
typedef struct Unit {
	u32 proc;            /* the proc's global, NONE for top-level code */
	u32 allowed;         /* families the proc may change: clobbers and results */
	InsVec code;
	U32Vec ssize_ins;      /* code that holds a (ssize) operand, patched at the end */
	U32Vec structured;     /* where the structured pseudo-ops are in code, for lowering */
	LabelScope labels;
	u32 next_label;      /* label ids, shared with the structured forms */
	VarVec vars;
	U32Vec var_of_name;    /* name id -> innermost var, NONE */
	VEC(u32) block_vars;   /* vars of the open blocks, innermost last: slot -> var;
				* the current flow has a state for each, no more */
	u32 frame_used, frame_max;
	Flow flow;
	u32 seq;               /* counts writes, for loop exposure */
	VEC(Loop) loops;
	u32 loops_made;         /* loop entries whose `exposed` vector exists (n or more) */
	VEC(Exposed) dead_reads; /* scratch for the back edge */
	u32 marks;             /* the last Var.mark given */
	VEC(Edge) edges;       /* pending forward jumps and jtrues, and free slots */
	VEC(EdgeList) edges_to; /* by label id: the jumps pending to it */
	EdgeList jtrues;       /* the pending jtrues */
	u32 edge_free;         /* free slots of edges, linked through next */
	VEC(u32) edge_vars;
	VsNode *vs_free;       /* nodes of the flows' states, for reuse */
	VarStates undeclared;  /* the states on a path that never declared the
				* variables in scope; those of a prefix of the
				* scope (fill_states in flow.c) */
	VEC(SlotState) changes; /* scratch: the states a join or a loop exit changes */
	bool too_deep;         /* statements nested past NEST_MAX were reported */
} Unit;

/* A proc's stack variables take at most 1 GiB, so every rsp-relative
 * displacement (frame, pushes, stack parameters) fits in 32 bits. */
#define FRAME_MAX (1u << 30)

typedef struct Checker {
	Program *p;
	const Target *t;
	u32 file;
	SrcFile *src;
	Reader rd;
	Tree tree;
	Unit u;      /* the unit being checked */
	Unit other;  /* the top-level unit while a proc is checked */
	u32 stmt_depth; /* blocks entered (NEST_MAX) */
	u32 opnd_depth; /* (mem ...), (cast ...), (dot ...) and (at ...) entered */
	u32 value_depth; /* (cons ...) entered */
} Checker;

/* What an operand turned out to be; W_NONE (0) until it is resolved, so a
 * zeroed Operand is never taken for a register. */
typedef enum What { W_NONE, W_REG, W_IMM, W_MEM, W_LABEL, W_PROC, W_DATA } What;

typedef struct Operand {
	Opnd o;
	u8 what;
	u32 node;
	u32 type;  /* its type; raw registers and raw memory are T_RAWn, immediates NONE */
	u32 var;   /* the variable it names, or NONE */
	u32 reads; /* families read to compute it (memory base and index) */
} Operand;

/* ---- check.c ---------------------------------------------------------------- */

void err(Checker *c, u32 n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void err_at(Checker *c, u32 pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void note_at_pos(Checker *c, u32 pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline const Node *nd(const Checker *c, u32 n) { return &c->tree.nodes.v[n]; }
const char *name_of(const Checker *c, u32 name);
const char *tag_name(const Checker *c, u32 n);
const char *reg_str(u32 family, u32 size);
const char *type_name(Checker *c, u32 ty);
static inline bool is_tree(const Checker *c, u32 n, Tag tag)
{
	return n != NONE && nd(c, n)->kind == N_TREE && nd(c, n)->tag == tag;
}
bool is_name(const Checker *c, u32 n);
u32 kid(const Checker *c, u32 n, u32 k);
Ins *emit(Checker *c, u16 op, u32 n);
void emit_ins(Checker *c, u32 n, u16 op, const Opnd *o, u32 nops, u8 flags);
void stmt(Checker *c, u32 n);
/* A nested (stmts ...), one level deeper than its statement. */
void block(Checker *c, u32 n);
/* The parts of a loop are one level deeper than it, together: nest_stmts
 * at the first (false past NEST_MAX, reported), block_here for the
 * others, unnest_stmts at the end. */
bool nest_stmts(Checker *c, u32 n);
/* One level more of nesting of some kind, counted in *depth: false past
 * NEST_MAX, after an error at n ("`what` nest deeper than ..."). */
bool nest_enter(Checker *c, u32 n, u32 *depth, const char *what);
void block_here(Checker *c, u32 n);
static inline void unnest_stmts(Checker *c) { c->stmt_depth--; }
void check_ins(Checker *c, u32 n, u8 flags);
/* Checks and emits (op dst src), a mov or a lea the assembler writes
 * itself (var initialisers, call arguments and results). */
bool check_move(Checker *c, u32 n, u16 op, Operand *dst, Operand *src);
bool types_agree(Checker *c, u32 n, const Operand *dst, const Operand *src, const char *what);
bool value_fits(Checker *c, i64 v, bool unsig, u32 t);
bool reg_fits_type(Checker *c, u32 n, u32 family, u8 *size, u32 t);
u32 reg_location(Checker *c, u32 loc, u32 t, u8 *size, const char *what);

/* ---- decl.c ----------------------------------------------------------------- */

u32 parse_type(Checker *c, u32 n);
u32 type_size(Checker *c, u32 ty);
/* False, reported at node n, when type ty spans more than TYPE_SIZE_MAX. */
bool type_size_ok(Checker *c, u32 n, u32 ty);
bool int_kid(Checker *c, u32 n, i64 *v);
const Sig *proc_sig(const Program *p, u32 global);
const Param *sig_param(const Program *p, const Sig *s, u32 i);
u32 find_param(const Program *p, const Sig *s, u32 name, bool results);
void parse_signature(Checker *c, u32 n, u32 from, Sig *sig);
/* Opens the proc at c's reader and reads its header (its children up to
 * its (body ...) or (stmts ...)) into the tree, the head's span covering
 * it, for kid(); *next is the tag that stopped it, NONE at the proc's end.
 * Returns the head, or NONE when it cannot be read (a syntax error). */
u32 read_proc_header(Checker *c, u32 *next);
u32 reg_of_node(const Checker *c, u32 n, u8 *size);
bool is_decl_tag(u16 tag); /* proc, rodata, type, gvar, tvar */

/* ---- operand.c --------------------------------------------------------------- */

bool operand(Checker *c, u32 n, Operand *op, bool branch);
/* An address expression (dot, at, mem, a stack variable, a global) as a
 * memory operand whose type is the pointed-to type. */
bool address(Checker *c, u32 n, Operand *op);
u32 var_lookup(const Checker *c, u32 name);
/* Variable v as an operand at node n: its register, or its stack slot. */
bool var_as_operand(Checker *c, u32 n, u32 v, Operand *op);
bool slot_opnd(Checker *c, u32 n, u32 v, Opnd *o);

/* ---- flow.c ------------------------------------------------------------------ */

/* ---- states.c ---------------------------------------------------------------- */

/* The common case inline: a single leaf (a proc with at most VS_LEAF
 * variables in scope), which the flow alone holds when it is written. */
const VarState *vs_get_deep(const VarStates *t, u32 s);
static inline const VarState *vs_get(const VarStates *t, u32 s)
{
	return t->depth ? vs_get_deep(t, s) : &t->root->st[s];
}
/* Slot s (below n, or n while pushing), to write: the nodes on its way
 * that another flow shares are copied first, and the slot is no longer
 * marked settled or final. */
VarState *vs_set_slow(Unit *u, VarStates *t, u32 s);
static inline VarState *vs_set(Unit *u, VarStates *t, u32 s)
{
	VsNode *r = t->root;
	if (t->depth || !r || r->rc != 1)
		return vs_set_slow(u, t, s);
	r->marks &= ~VS_MARKS(s);
	return &r->st[s];
}
void vs_push(Unit *u, VarStates *t, VarState st);
/* Keeps the first n states. */
void vs_cut_slow(Unit *u, VarStates *t, u32 n);
static inline void vs_cut(Unit *u, VarStates *t, u32 n)
{
	if (n < t->n)
		vs_cut_slow(u, t, n);
}
/* Compared as words: a VarState has no padding. */
static inline bool same_state(const VarState *a, const VarState *b)
{
	u64 a0, a1, b0, b1;
	u32 a2, b2;
	memcpy(&a0, a, 8), memcpy(&a1, (const char *)a + 8, 8), memcpy(&a2, (const char *)a + 16, 4);
	memcpy(&b0, b, 8), memcpy(&b1, (const char *)b + 8, 8), memcpy(&b2, (const char *)b + 16, 4);
	return !((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2));
}
/* dst = src, sharing its nodes. */
void vs_share(Unit *u, VarStates *dst, const VarStates *src);
/* dst = its first n states, then src's from slot n on (src holding at
 * least n): only the nodes across slot n are new. */
void vs_splice(Unit *u, VarStates *dst, u32 n, const VarStates *src);
void vs_drop(Unit *u, VarStates *t);
void vs_free_nodes(Unit *u);
/* Calls fn for each slot in [lo, hi) where a and b may differ, in order
 * (b NULL: every slot, with a NULL state for b); hi is at most both n. */
typedef void VsVisit(void *ctx, u32 slot, const VarState *a, const VarState *b);
void vs_diff(const VarStates *a, const VarStates *b, u32 lo, u32 hi, VsVisit *fn, void *ctx);
/* vs_diff for a join of b into a, which leaves a's final states as they
 * are, and (b NULL: a path that lacks them) its settled ones: those are
 * not visited.  False if it looked at no state: all were marked. */
bool vs_join_diff(const VarStates *a, const VarStates *b, u32 lo, u32 hi, VsVisit *fn, void *ctx);
/* States [lo, hi) of t are settled: they are marked so, and final where
 * they are not a cfvar's false. */
void vs_settle(VarStates *t, u32 lo, u32 hi);

/* Variable v's state on the current path (v is in scope), to read, and
 * to write. */
static inline const VarState *var_state(const Checker *c, u32 v)
{
	return vs_get(&c->u.flow.vs, c->u.vars.v[v].slot);
}
static inline VarState *var_state_w(Checker *c, u32 v)
{
	return vs_set(&c->u, &c->u.flow.vs, c->u.vars.v[v].slot);
}
/* Is variable v still in scope (its block open)? */
static inline bool in_scope(const Checker *c, u32 v)
{
	u32 s = c->u.vars.v[v].slot;
	return s < c->u.block_vars.n && c->u.block_vars.v[s] == v;
}

void flow_init(Flow *f);
/* The end of a flow: its states' nodes go back to u. */
void flow_free(Unit *u, Flow *f);
/* dst = src; they share the states until one changes. */
void flow_copy(Unit *u, Flow *dst, const Flow *src);
/* Exchanges two states: no copying. */
void flow_swap(Flow *a, Flow *b);
/* A flow for a branch, loop or edge to be copied to: its states empty,
 * the rest unset (flow_copy sets it). */
void flow_take(Flow *f);
/* A flow that no path takes: unreachable, no states, and the entry's
 * bindings (no register bound, nothing pushed), so nothing in it names a
 * variable. */
void flow_none(Flow *f);
/* The states noted in c->u.changes, written into f's (and forgotten). */
void apply_changes(Checker *c, Flow *f);
/* How many of the states t, from the first, are for variables still in
 * scope: blocks may have ended since t was taken. */
u32 states_in_scope(const Checker *c, const VarStates *t);
/* The current flow = its join with src (an ite's branch or a jump that
 * lands): dead on any path is dead after. */
void flow_join(Checker *c, const Flow *src, u32 pos);
/* The current flow = src, taken while the variables in scope were (a
 * loop's exit); one it lacks (all, after a condition that was wrong) was
 * never declared on it. */
void flow_set(Checker *c, const Flow *src);
/* Is rsp at the same place in both (when both know it)? */
bool same_rsp(const Flow *a, const Flow *b);
u32 var_new(Checker *c, Var v, u8 state);
void var_end(Checker *c, u32 v, u32 pos);
bool use_var(Checker *c, u32 n, u32 v);
void write_var(Checker *c, u32 v);
bool raw_reg_ok(Checker *c, u32 n, u32 family);
void read_family(Checker *c, u32 n, u32 family);
void write_family(Checker *c, u32 n, u32 family, u32 callee, bool explicit_write);
void clobber_family(Checker *c, u32 family, u32 pos, u32 callee, u16 op);
void rsp_effect(Checker *c, u32 n, const Ins *ins);
void check_ret(Checker *c, u32 n);
/* Status flags: an instruction's effect (reads, then changes), a read by
 * the condition at node n, a call, and the loop's back edge and exit. */
typedef struct FlagEffect {
	u8 reads, sets, undef, count; /* FX_READS .. FX_COUNT of the mnemonic's FX kind */
} FlagEffect;
extern const FlagEffect flag_effects[TAG__COUNT - TAG_FIRST_OP];
void flags_effect(Checker *c, u32 n, const Ins *ins);

/* The flags in mask get a defined value.  Sequence numbers matter only
 * inside a loop: one left older than the loop's entry says the same. */
static inline void flags_define(Checker *c, u8 mask)
{
	Flow *f = &c->u.flow;
	f->fl_undef &= (u8)~mask; /* fl_call and the reasons count only for undefined flags */
	if (!c->u.loops.n)
		return;
	for (u32 i = 0; i < NFLAG; i++) /* branch-free: mask is usually most flags */
		f->fl_wseq[i] = (mask >> i) & 1 ? c->u.seq : f->fl_wseq[i];
}

/* Called for every instruction: the common effect (add, cmp, test: all
 * flags defined; mov: none) inline, the rest in flags_effect. */
static inline void flags_apply(Checker *c, u32 n, const Ins *ins)
{
	FlagEffect e = flag_effects[ins->op - TAG_FIRST_OP];
	if (UNLIKELY(e.reads | e.undef | e.count))
		flags_effect(c, n, ins);
	else if (e.sets)
		flags_define(c, e.sets);
}
void flags_read(Checker *c, u32 n, u8 mask, bool cond);
void flags_call(Checker *c, u32 pos, u32 callee);
void flags_back_edge(Checker *c, const Flow *head, const Loop *l);
void flags_loop_exit(Flow *exit_f, const Flow *back, u32 entry_seq);
void block_open(Checker *c, u32 *mark);
void block_close(Checker *c, u32 mark);
void unreachable(Checker *c);

/* ---- call.c ------------------------------------------------------------------ */

void check_call(Checker *c, u32 n);

/* ---- cflow.c ----------------------------------------------------------------- */

u32 new_label(Checker *c);
u32 label_id(Checker *c, u32 name, u32 pos);
void end_label_scope(Checker *c, LabelScope *s);
void free_label_scope(Unit *u, LabelScope *s);
void stmt_lab(Checker *c, u32 n);
void jump_edge(Checker *c, u32 n, u32 label);
void stmt_ite(Checker *c, u32 n);
void stmt_loop(Checker *c, u32 n);
void stmt_cfvar(Checker *c, u32 n);
void stmt_jtrue(Checker *c, u32 n);
void cflow_end_proc(Checker *c);
/* No edges pending, their flows freed. */
void edges_reset(Unit *u);
u32 cond_code(const Checker *c, u32 n);

#endif
