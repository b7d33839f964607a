/* flow.c - the state that flows through a proc, instruction by instruction:
 * which variable each register holds, which variables are live, where rsp
 * is, and which of the caller's registers the proc has changed or saved.
 * Where paths join, states are merged: a variable dead on any path is dead
 * after the join.
 */
#include "check.h"

#include <stdio.h>

/* ---- snapshots --------------------------------------------------------------- */

void flow_init(Flow *f)
{
	memset(f, 0, sizeof *f);
	f->reachable = true;
	f->rsp_known = true;
	f->rsp_lost = NONE;
	for (u32 i = 0; i < NFAMILY; i++)
		f->owner[i] = f->saved[i] = NONE;
	f->fl_undef = FL_ALL; /* the ABI passes no flags */
	for (u32 i = 0; i < NFLAG; i++)
		f->fl_pos[i] = f->fl_name[i] = NONE;
}

void flow_free(Unit *u, Flow *f) { vs_drop(u, &f->vs); }

void flow_take(Flow *f) { f->vs = (VarStates){0}; }

void flow_none(Flow *f)
{
	flow_init(f);
	f->reachable = false;
}

void flow_copy(Unit *u, Flow *dst, const Flow *src)
{
	VarStates vs = dst->vs;
	*dst = *src;
	dst->vs = vs;
	vs_share(u, &dst->vs, &src->vs);
}

void flow_swap(Flow *a, Flow *b)
{
	Flow t = *a;
	*a = *b;
	*b = t;
}

static u8 join_cf(u8 a, u8 b) { return a == b ? a : CF_UNKNOWN; }

/* The state of variable v on a path that never declared it. */
static VarState undeclared(const Checker *c, u32 v)
{
	return (VarState){c->u.vars.v[v].kind == V_CFVAR ? CF_FALSE : VS_KILLED, 0, 0, NONE, NONE, 0, v};
}

/* a = the join of a and b, two states of one variable. */
static void join_state(const Checker *c, VarState *a, const VarState *b)
{
	if (c->u.vars.v[a->var].kind == V_CFVAR) {
		*a = (VarState){join_cf(a->st, b->st), 0, 0, NONE, NONE, 0, a->var};
		return;
	}
	u32 wseq = MIN(a->wseq, b->wseq);
	if (!is_dead(a->st) && is_dead(b->st))
		*a = *b;
	a->wseq = wseq;
}

bool same_rsp(const Flow *a, const Flow *b)
{
	return a->frame == b->frame && a->below == b->below && a->extra == b->extra;
}

static void join_rsp(Flow *dst, const Flow *src, u32 pos)
{
	if (!src->rsp_known || !dst->rsp_known) {
		if (dst->rsp_known)
			dst->rsp_lost = src->rsp_lost;
		dst->rsp_known = false;
		return;
	}
	if (!same_rsp(dst, src)) {
		dst->rsp_known = false;
		dst->rsp_lost = pos;
	}
}

/* Flag i becomes undefined in dst for the reason it is undefined in src. */
static void undefine_like(Flow *dst, const Flow *src, u32 i)
{
	u8 bit = (u8)(1u << i);
	dst->fl_undef |= bit;
	dst->fl_call = (u8)((dst->fl_call & ~bit) | (src->fl_call & bit));
	dst->fl_pos[i] = src->fl_pos[i];
	dst->fl_name[i] = src->fl_name[i];
}

/* A flag is defined after a join only if it is on every path; one
 * undefined on src only keeps src's reason. */
static void join_flags(Flow *dst, const Flow *src)
{
	for (u32 i = 0; i < NFLAG; i++)
		dst->fl_wseq[i] = MIN(dst->fl_wseq[i], src->fl_wseq[i]);
	for (u32 m = src->fl_undef & (u8)~dst->fl_undef; m; m &= m - 1)
		undefine_like(dst, src, (u32)__builtin_ctz(m));
}

/* Gives the current flow a state for each variable in scope from the
 * first n it has, which are right; the others were never declared on it. */
static void fill_states(Checker *c, u32 n)
{
	Unit *u = &c->u;
	u32 scope = u->block_vars.n;
	vs_cut(u, &u->flow.vs, n);
	if (n == scope)
		return;
	vs_cut(u, &u->undeclared, states_in_scope(c, &u->undeclared));
	u32 known = u->undeclared.n;
	for (u32 s = known; s < scope; s++)
		vs_push(u, &u->undeclared, undeclared(c, u->block_vars.v[s]));
	vs_settle(&u->undeclared, known, scope); /* see join_states: the flows take the marks with the nodes */
	vs_splice(u, &u->flow.vs, n, &u->undeclared); /* shares its nodes, as the paths that land here do */
}

void flow_set(Checker *c, const Flow *src)
{
	flow_copy(&c->u, &c->u.flow, src);
	fill_states(c, MIN(src->vs.n, c->u.block_vars.n));
}

static bool in_slot(const Checker *c, const VarStates *t, u32 s)
{
	return vs_get(t, s)->var == c->u.block_vars.v[s];
}

/* Those states are a prefix: a block that ended took the variables of
 * the later slots with it.  So its end is found by halving. */
u32 states_in_scope(const Checker *c, const VarStates *t)
{
	u32 lo = 0, hi = MIN(t->n, c->u.block_vars.n);
	if (hi == 0 || in_slot(c, t, hi - 1))
		return hi; /* a branch's or a loop's flow, and most jumps' */
	for (hi--; lo < hi;) { /* slots below lo are in scope, slot hi is not */
		u32 mid = lo + (hi - lo) / 2;
		if (in_slot(c, t, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The current flow = src, a jump's state that lands where nothing falls
 * in: its variables that have ended are dropped, and their registers. */
static void land_alone(Checker *c, const Flow *src)
{
	u32 n = states_in_scope(c, &src->vs);
	flow_copy(&c->u, &c->u.flow, src);
	fill_states(c, n);
	for (u32 r = 0; r < NFAMILY; r++)
		if (c->u.flow.owner[r] != NONE && !in_scope(c, c->u.flow.owner[r]))
			c->u.flow.owner[r] = NONE;
}

/* Notes the new state of slot s if joining b into a changes it. */
static void note_join(Checker *c, u32 s, const VarState *a, const VarState *b)
{
	SlotState j = {s, *a};
	join_state(c, &j.st, b);
	if (!same_state(&j.st, a))
		vec_push(&c->u.changes, j);
}

/* vs_diff's visit: b is src's state, or NULL past the states src has in
 * scope: that variable was declared after src was taken. */
static void visit_join(void *ctx, u32 s, const VarState *a, const VarState *b)
{
	VarState u;
	if (!b) {
		u = undeclared(ctx, a->var);
		b = &u;
	}
	note_join(ctx, s, a, b);
}

void apply_changes(Checker *c, Flow *f)
{
	for (u32 i = 0; i < c->u.changes.n; i++)
		*vs_set(&c->u, &f->vs, c->u.changes.v[i].slot) = c->u.changes.v[i].st;
	c->u.changes.n = 0;
}

/* The first n states of the join, of two single leaves (a proc with at
 * most VS_LEAF variables in scope, the common case): compared in place,
 * without vs_diff's calls. */
static void join_leaves(Checker *c, const VsNode *b, u32 n)
{
	VarStates *vs = &c->u.flow.vs;
	if (vs->root == b)
		return; /* neither path changed a variable */
	if (vs->root->rc == 1) { /* the flow's own leaf (that of an ite's else-branch): in place;
				  * a join keeps a settled state settled and a final one as it
				  * is, so the leaf's marks hold */
		for (u32 s = 0; s < n; s++)
			join_state(c, &vs->root->st[s], &b->st[s]);
		return;
	}
	for (u32 s = 0; s < n; s++) {
		const VarState *x = &vs->root->st[s];
		if (same_state(x, &b->st[s]))
			continue;
		VarState j = *x;
		join_state(c, &j, &b->st[s]);
		if (!same_state(&j, x))
			*vs_set(&c->u, vs, s) = j;
	}
}

/* The variable states of the join: only those where the flows differ
 * (vs_diff), and those declared since src was taken, which it lacks.
 * Joined with a path that lacks it, a state becomes dead with a wseq of
 * 0 (or, a cfvar's, false or unknown), and then stays so through any
 * join with a path that lacks it: it is settled.  A settled state but a
 * cfvar's false stays so through any join at all (a dead one stays dead,
 * unknown stays unknown): it is final.  The states are marked so where
 * they are (vs_settle), and the joins skip them until a write changes
 * them, so many jumps to labels, each from fewer variables than the
 * label has, cost those variables once, not once per jump. */
static void join_states(Checker *c, const Flow *src)
{
	VarStates *vs = &c->u.flow.vs;
	u32 n = states_in_scope(c, &src->vs);
	c->u.changes.n = 0;
	if (n && !vs->depth && !src->vs.depth)
		join_leaves(c, src->vs.root, n);
	else
		vs_join_diff(vs, &src->vs, 0, n, visit_join, c);
	bool unmarked = vs_join_diff(vs, NULL, n, vs->n, visit_join, c);
	apply_changes(c, &c->u.flow);
	if (unmarked) /* else all were marked, and the walk would find nothing to do */
		vs_settle(vs, n, vs->n);
}

void flow_join(Checker *c, const Flow *src, u32 pos)
{
	Flow *dst = &c->u.flow;
	if (!src->reachable)
		return;
	if (!dst->reachable) { /* keeps the variables declared since src was taken */
		land_alone(c, src);
		return;
	}
	join_states(c, src);
	for (u32 f = 0; f < NFAMILY; f++) {
		u32 o = dst->owner[f]; /* in scope, so not an ended variable src may name */
		if (o != src->owner[f] || (o != NONE && var_state(c, o)->st == VS_KILLED))
			dst->owner[f] = NONE;
		if (dst->saved[f] != src->saved[f])
			dst->saved[f] = NONE;
	}
	join_rsp(dst, src, pos);
	join_flags(dst, src);
	dst->written |= src->written;
	dst->set &= src->set;
}

void unreachable(Checker *c) { c->u.flow.reachable = false; }

/* ---- variables ---------------------------------------------------------------- */

u32 var_new(Checker *c, Var v, u8 state)
{
	u32 id = c->u.vars.n;
	vec_cover(&c->u.var_of_name, v.name, NONE);
	v.shadow = c->u.var_of_name.v[v.name];
	v.slot = c->u.block_vars.n;
	c->u.var_of_name.v[v.name] = id;
	vec_push(&c->u.vars, v);
	vec_push(&c->u.block_vars, id);
	vs_push(&c->u, &c->u.flow.vs, (VarState){state, 0, 0, v.pos, NONE, c->u.seq, id});
	if (v.loc == LOC_REG)
		c->u.flow.owner[v.reg] = id;
	return id;
}

static void unbind(Checker *c, u32 v)
{
	const Var *var = &c->u.vars.v[v];
	if (var->loc == LOC_REG && c->u.flow.owner[var->reg] == v)
		c->u.flow.owner[var->reg] = NONE;
}

/* Ends a variable: kill, or the end of its block. */
void var_end(Checker *c, u32 v, u32 pos)
{
	VarState *s = var_state_w(c, v);
	s->st = VS_KILLED;
	s->why_pos = pos;
	s->why_callee = NONE;
	unbind(c, v);
}

void block_open(Checker *c, u32 *mark) { *mark = c->u.block_vars.n; }

/* Variables declared in a block end with it, on every path: their states
 * go (so a flow holds the variables in scope, not every one the proc has
 * had), their names come back.  A saved flow that still holds one (a jump
 * out of the block, a label in it) is fitted where it is used: each state
 * names its variable (flow_set, check_backward in cflow.c). */
void block_close(Checker *c, u32 mark)
{
	while (c->u.block_vars.n > mark) {
		u32 v = c->u.block_vars.v[--c->u.block_vars.n];
		const Var *var = &c->u.vars.v[v];
		if (var->kind == V_CFVAR && var->tested == NONE)
			err_at(c, var->pos, "cfvar %s is never tested by an ite", name_of(c, var->name));
		unbind(c, v);
		c->u.var_of_name.v[var->name] = var->shadow;
		if (var->loc == LOC_STACK && var->offset < c->u.frame_used)
			c->u.frame_used = var->offset;
	}
	vs_cut(&c->u, &c->u.flow.vs, mark);
}

static void explain_dead(Checker *c, u32 v)
{
	const VarState *s = var_state(c, v);
	const Var *var = &c->u.vars.v[v];
	if (s->why_pos == NONE)
		return;
	if (s->st == VS_CLOBBERED && s->why_callee != NONE)
		note_at_pos(c, s->why_pos, "%s changes %s, which held %s",
			    name_of(c, s->why_callee), reg_str(s->why_reg, 8),
			    name_of(c, var->name));
	else if (s->st == VS_CLOBBERED && s->why_op)
		note_at_pos(c, s->why_pos, "%s changes %s here", name_of(c, s->why_op), reg_str(s->why_reg, 8));
	else if (s->st == VS_CLOBBERED)
		note_at_pos(c, s->why_pos, "%s was overwritten here", reg_str(s->why_reg, 8));
	else if (s->st == VS_KILLED)
		note_at_pos(c, s->why_pos, "%s ended here", name_of(c, var->name));
}

/* A read of v at node n, in loops entered after v's last write on this
 * path (wseq): each of them reads v before writing it.  The read goes on
 * the list of each such loop, unless an earlier read in the innermost
 * loop, with a wseq no later, put v on those lists already; so a loop's
 * list holds a variable once, or again only after a path with an older
 * wseq or a new inner loop. */
static void expose(Checker *c, u32 n, u32 v, u32 wseq)
{
	Var *var = &c->u.vars.v[v];
	u32 inner = c->u.loops.v[c->u.loops.n - 1].entry_seq;
	if (var->exp_loop == inner && var->exp_wseq <= wseq)
		return;
	var->exp_loop = inner;
	var->exp_wseq = wseq;
	Exposed e = {v, nd(c, n)->pos};
	for (u32 i = c->u.loops.n; i-- > 0 && wseq < c->u.loops.v[i].entry_seq;)
		vec_push(&c->u.loops.v[i].exposed, e);
}

/* A read of v at node n: v must hold a value. */
bool use_var(Checker *c, u32 n, u32 v)
{
	const Var *var = &c->u.vars.v[v];
	const VarState *s = var_state(c, v);
	if (c->u.loops.n && s->wseq < c->u.loops.v[c->u.loops.n - 1].entry_seq)
		expose(c, n, v, s->wseq);
	if (!c->u.flow.reachable || s->st == VS_LIVE)
		return true;
	const char *name = name_of(c, var->name);
	if (s->st == VS_UNINIT)
		err(c, n, "%s is used before it has a value", name);
	else if (s->st == VS_KILLED)
		err(c, n, "%s is used after it ended", name);
	else if (s->why_callee != NONE)
		err(c, n, "%s is dead: the call to %s changes %s", name,
		    name_of(c, s->why_callee), reg_str(s->why_reg, 8));
	else if (s->why_op)
		err(c, n, "%s is dead: %s changes %s", name, name_of(c, s->why_op), reg_str(s->why_reg, 8));
	else
		err(c, n, "%s is dead: %s was overwritten", name, reg_str(s->why_reg, 8));
	explain_dead(c, v);
	var_state_w(c, v)->st = VS_LIVE; /* report each death once */
	return false;
}

void write_var(Checker *c, u32 v)
{
	VarState *s = var_state_w(c, v);
	s->st = VS_LIVE;
	s->wseq = c->u.seq;
}

/* ---- registers ------------------------------------------------------------------ */

/* A raw register may not be used while a variable is bound to it. */
bool raw_reg_ok(Checker *c, u32 n, u32 family)
{
	u32 v = c->u.flow.owner[family];
	if (v == NONE || !c->u.flow.reachable)
		return true;
	const Var *var = &c->u.vars.v[v];
	err(c, n, "%s holds %s; use the variable, not the register", reg_str(family, 8),
	    name_of(c, var->name));
	return false;
}

/* An implicit read of a register (mul reads rax): the variable there is read. */
void read_family(Checker *c, u32 n, u32 family)
{
	u32 v = c->u.flow.owner[family];
	if (v != NONE)
		use_var(c, n, v);
}

/* The variable in `family` loses its value; it may be written again. */
void clobber_family(Checker *c, u32 family, u32 pos, u32 callee, u16 op)
{
	u32 v = c->u.flow.owner[family];
	if (v == NONE)
		return;
	const VarState *s = var_state(c, v);
	u32 wseq = s->wseq;
	if (s->st != VS_KILLED)
		*var_state_w(c, v) = (VarState){VS_CLOBBERED, (u8)family, op, pos, callee, wseq, v};
}

/* The callee side of the contract: a proc may change its clobbers and
 * results; any other register must be saved on the stack first. */
static void contract_write(Checker *c, u32 n, u32 family)
{
	Flow *f = &c->u.flow;
	u32 bit = 1u << family;
	if (c->u.proc == NONE || family == RSP || (c->u.allowed & bit) || (f->written & bit) || !f->reachable) {
		f->written |= bit;
		return;
	}
	f->written |= bit;
	if (f->saved[family] != NONE)
		return;
	c->u.allowed |= bit; /* report it once */
	const char *r = reg_str(family, 8);
	err(c, n, "%s changes %s, which is neither in its clobber list nor a result; "
		  "save it first with (push (%s)), or add it to (clobber ...)",
	    name_of(c, c->p->globals.v[c->u.proc].name), r, r);
}

/* A write of a register by an instruction: the variable bound there, if
 * it is not the one written explicitly, loses its value. */
void write_family(Checker *c, u32 n, u32 family, u32 callee, bool explicit_write)
{
	if (!explicit_write)
		clobber_family(c, family, nd(c, n)->pos, callee,
			       nd(c, n)->kind == N_TREE && IS_OP_TAG(nd(c, n)->tag) ? nd(c, n)->tag : 0);
	contract_write(c, n, family);
	c->u.flow.set |= 1u << family;
}

/* ---- rsp ----------------------------------------------------------------------- */

/* A key for the current stack depth, to recognise the slot of a saved
 * register when it is popped. */
static u32 depth_key(const Flow *f) { return f->frame ? 0x80000000u | f->extra : f->below; }

static void rsp_lost(Checker *c, u32 n)
{
	if (c->u.flow.rsp_known)
		c->u.flow.rsp_lost = nd(c, n)->pos;
	c->u.flow.rsp_known = false;
}

/* rsp moves down by d bytes (d < 0: up). */
static void rsp_move(Checker *c, u32 n, i64 d)
{
	Flow *f = &c->u.flow;
	u32 *part = f->frame ? &f->extra : &f->below;
	if (!f->rsp_known)
		return;
	if ((i64)*part + d < 0 || (i64)*part + d > INT32_MAX) {
		rsp_lost(c, n);
		return;
	}
	*part = (u32)((i64)*part + d);
}

static void frame_alloc(Checker *c, u32 n, bool alloc)
{
	Flow *f = &c->u.flow;
	if (!f->rsp_known)
		return;
	if (alloc == f->frame || (!alloc && f->extra != 0)) {
		err(c, n, alloc ? "the frame is already allocated"
				: "(add (rsp) (ssize)) must come where (sub (rsp) (ssize)) left rsp");
		rsp_lost(c, n);
		return;
	}
	f->frame = alloc;
}

static void push_pop(Checker *c, u32 n, const Ins *ins, bool push)
{
	Flow *f = &c->u.flow;
	const Opnd *o = &ins->o[0];
	u32 size = o->kind == OK_REG || o->kind == OK_MEM ? o->size : 8;
	if (push) {
		rsp_move(c, n, size);
		if (o->kind == OK_REG && size == 8 && !(f->written & (1u << o->reg)) && f->rsp_known)
			f->saved[o->reg] = depth_key(f);
		return;
	}
	if (o->kind == OK_REG && f->rsp_known && f->saved[o->reg] == depth_key(f)) {
		f->written &= ~(1u << o->reg); /* the caller's value is back */
		f->saved[o->reg] = NONE;
	}
	rsp_move(c, n, -(i64)size);
}

static bool is_rsp(const Opnd *o) { return o->kind == OK_REG && o->reg == RSP && o->size == 8; }

/* How an instruction moves rsp.  Anything that writes rsp in a way this
 * does not follow makes it unknown; stack slots cannot be used then. */
void rsp_effect(Checker *c, u32 n, const Ins *ins)
{
	const Opnd *o = ins->o;
	if (ins->op == TAG_push || ins->op == TAG_pop) {
		push_pop(c, n, ins, ins->op == TAG_push);
		return;
	}
	if (ins->nopnd == 0 || !(o[0].kind == OK_REG && o[0].reg == RSP))
		return;
	if (!(amd64_forms[ins->form].flags & F_W0))
		return;
	bool imm = ins->nopnd == 2 && o[1].kind == OK_IMM && is_rsp(&o[0]);
	if (imm && (o[1].flags & OF_SSIZE) && (ins->op == TAG_sub || ins->op == TAG_add))
		frame_alloc(c, n, ins->op == TAG_sub);
	else if (imm && ins->op == TAG_sub)
		rsp_move(c, n, o[1].imm);
	else if (imm && ins->op == TAG_add)
		rsp_move(c, n, -o[1].imm);
	else if (ins->op == TAG_lea && o[1].base == RSP && o[1].index == NOREG && !o[1].sym)
		rsp_move(c, n, -o[1].imm);
	else
		rsp_lost(c, n);
}

/* At ret: rsp back at its entry value, saved registers restored, results set. */
void check_ret(Checker *c, u32 n)
{
	Flow *f = &c->u.flow;
	if (c->u.proc == NONE || !f->reachable)
		return;
	const char *proc = name_of(c, c->p->globals.v[c->u.proc].name);
	if (!f->rsp_known || f->frame || f->below || f->extra)
		err(c, n, "%s returns with rsp %s its entry value", proc,
		    !f->rsp_known ? "not provably at" : "below");
	u32 lost = f->written & ~c->u.allowed & ~(1u << RSP);
	for (u32 r = 0; r < NFAMILY; r++)
		if (lost & (1u << r))
			err(c, n, "%s returns without restoring %s (pop it before ret)", proc, reg_str(r, 8));
	const Sig *s = proc_sig(c->p, c->u.proc);
	for (u32 i = 0; i < s->nresults; i++) {
		const Param *r = sig_param(c->p, s, s->nparams + i);
		if (r->reg != NOREG && !(f->set & (1u << r->reg)))
			err(c, n, "%s returns without setting its result %s (%s)", proc,
			    name_of(c, r->name), reg_str(r->reg, r->size));
	}
}

/* ---- status flags -------------------------------------------------------------- */

/* Each mnemonic's effect, from the FX(...) of its first form in AMD64_OPS. */
const FlagEffect flag_effects[TAG__COUNT - TAG_FIRST_OP] = {
#define OP(name, o1, o2, o3, opc, opc2, enc, ext, fl, uses, defs)                                  \
	[TAG_##name - TAG_FIRST_OP] = {FX_READS(FX_OF(fl), opc), FX_SETS(FX_OF(fl)), FX_UNDEF(FX_OF(fl)), \
				       FX_COUNT(FX_OF(fl))},
#define ALT(...)
	AMD64_OPS
#undef OP
#undef ALT
};

static const char *const flag_names[NFLAG] = {"CF", "PF", "ZF", "SF", "OF"};

static u32 first_flag(u8 mask) { return (u32)__builtin_ctz(mask); }

static void flags_undefine(Flow *f, u8 mask, u32 pos, u32 name, bool call, u32 seq)
{
	f->fl_undef |= mask;
	f->fl_call = call ? f->fl_call | mask : f->fl_call & (u8)~mask;
	for (u32 m = mask; m; m &= m - 1) {
		u32 i = first_flag((u8)m);
		f->fl_pos[i] = pos;
		f->fl_name[i] = name;
		f->fl_wseq[i] = seq;
	}
}

/* What made flag i of f undefined, as the end of a sentence ("the call to
 * foo.0 at 3:5 may have changed"), with a note there. */
/* Why flag i is undefined in f, appended to *b (NUL-terminated): a proc's
 * name may be long, so no fixed buffer. */
static const char *flag_cause(Checker *c, const Flow *f, u32 i, Buf *b)
{
	LineCol lc = src_linecol(c->src, f->fl_pos[i]);
	if (!((f->fl_call >> i) & 1))
		buf_printf(b, "%s at %u:%u leaves undefined", name_of(c, f->fl_name[i]), lc.line, lc.col);
	else if (f->fl_name[i] != NONE)
		buf_printf(b, "the call to %s at %u:%u may have changed", name_of(c, f->fl_name[i]), lc.line, lc.col);
	else
		buf_printf(b, "the call at %u:%u may have changed", lc.line, lc.col);
	return (const char *)b->p;
}

static void flag_note(Checker *c, const Flow *f, u32 i)
{
	if ((f->fl_call >> i) & 1)
		note_at_pos(c, f->fl_pos[i], "this call may change the flags");
	else
		note_at_pos(c, f->fl_pos[i], "%s leaves %s undefined", name_of(c, f->fl_name[i]), flag_names[i]);
}

/* Every loop the read is in, innermost first, for which a flag read here
 * still has the value it had when the loop was entered: on a later
 * iteration it has the back edge's. */
static void expose_flags(Checker *c, u32 pos, u8 mask)
{
	const Flow *f = &c->u.flow;
	for (u32 k = c->u.loops.n; k-- > 0;) {
		Loop *l = &c->u.loops.v[k];
		bool any = false;
		for (u32 m = mask; m; m &= m - 1) {
			u32 i = first_flag((u8)m);
			if (f->fl_wseq[i] >= l->entry_seq)
				continue;
			any = true;
			if (l->fl_read[i] == NONE)
				l->fl_read[i] = pos;
		}
		if (!any) /* an outer loop was entered earlier still */
			break;
	}
}

static void report_flags(Checker *c, u32 n, u8 bad, bool cond)
{
	const Flow *f = &c->u.flow;
	u32 i = first_flag(bad);
	const char *pre = cond ? "the condition (" : "", *op = tag_name(c, n), *post = cond ? ")" : "";
	if (f->fl_pos[i] == NONE) {
		err(c, n, "%s%s%s reads flags, but none are set %s", pre, op, post,
		    c->u.proc == NONE ? "at the start of the program" : "on entry to the proc");
		return;
	}
	Buf why = {0};
	const char *cause = flag_cause(c, f, i, &why);
	if ((f->fl_call >> i) & 1)
		err(c, n, "%s%s%s reads flags that %s", pre, op, post, cause);
	else
		err(c, n, "%s%s%s reads %s, which %s", pre, op, post, flag_names[i], cause);
	buf_free(&why);
	flag_note(c, f, i);
}

/* A read of the flags in mask at node n (an instruction, or the condition
 * of an ite or loop): they must be defined on every path. */
void flags_read(Checker *c, u32 n, u8 mask, bool cond)
{
	Flow *f = &c->u.flow;
	if (!f->reachable)
		return;
	if (c->u.loops.n)
		expose_flags(c, nd(c, n)->pos, mask);
	u8 bad = f->fl_undef & mask;
	if (LIKELY(!bad))
		return;
	report_flags(c, n, bad, cond);
	flags_define(c, bad); /* report each cause once */
}

/* A shift's effect depends on its count (see FX_SHIFT in amd64.h). */
static FlagEffect shift_effect(FlagEffect e, const Ins *ins)
{
	u8 cls = amd64_forms[ins->form].cls[1];
	u32 width = ins->o[0].size * 8u;
	if (cls == C_CL) /* 0 keeps every flag, 1 sets OF, more undefine it */
		return (FlagEffect){0, 0, (u8)(FL_OF | (e.count == FC_SHIFT && width < 32 ? FL_CF : 0)), 0};
	u32 count = cls == C_I1 ? 1 : (u32)ins->o[1].imm & (width == 64 ? 63 : 31);
	if (count == 0)
		return (FlagEffect){0};
	if (count > 1) {
		e.sets &= (u8)~FL_OF;
		e.undef |= FL_OF;
	}
	if (e.count == FC_SHIFT && count >= width) {
		e.sets &= (u8)~FL_CF;
		e.undef |= FL_CF;
	}
	return e;
}

/* An instruction reads the flags it needs, then changes them (the cases
 * flags_apply leaves: reads, undefined flags, shifts). */
void flags_effect(Checker *c, u32 n, const Ins *ins)
{
	FlagEffect e = flag_effects[ins->op - TAG_FIRST_OP];
	if (!c->u.flow.reachable)
		return;
	if (e.reads)
		flags_read(c, n, e.reads, false);
	if (e.count != FC_NONE)
		e = shift_effect(e, ins);
	flags_define(c, e.sets);
	if (e.undef)
		flags_undefine(&c->u.flow, e.undef, nd(c, n)->pos, ins->op, false, c->u.seq);
}

/* A callee may leave any flags: none is defined after a call. */
void flags_call(Checker *c, u32 pos, u32 callee)
{
	flags_undefine(&c->u.flow, FL_ALL, pos, callee, true, c->u.seq);
}

/* The back edge: a flag the loop reads before changing it must be defined
 * when the loop repeats, as it was on entry. */
void flags_back_edge(Checker *c, const Flow *head, const Loop *l)
{
	const Flow *back = &c->u.flow;
	u8 bad = back->fl_undef & (u8)~head->fl_undef;
	for (u32 m = bad; m; m &= m - 1) {
		u32 i = first_flag((u8)m);
		if (l->fl_read[i] == NONE)
			continue;
		Buf why = {0};
		err_at(c, l->fl_read[i], "the loop reads %s here before setting it, but when the loop repeats, "
					 "%s it", flag_names[i], flag_cause(c, back, i, &why));
		buf_free(&why);
		flag_note(c, back, i);
		return; /* one report per loop */
	}
}

/* After the loop: a flag undefined at the back edge is undefined at the
 * exit too, unless `pre` sets it on every path (it runs before every exit). */
void flags_loop_exit(Flow *exit_f, const Flow *back, u32 entry_seq)
{
	for (u32 m = back->fl_undef & (u8)~exit_f->fl_undef; m; m &= m - 1) {
		u32 i = first_flag((u8)m);
		if (exit_f->fl_wseq[i] < entry_seq)
			undefine_like(exit_f, back, i);
	}
}
