/* cflow.c - structured control flow and labels, checked in one pass.
 *
 * (ite COND then else): both branches start from the state before the ite;
 * the state after is their join.
 *
 * (loop pre COND body after): checked once, without iterating to a fixed
 * point.  One pass is enough because the state at the loop head on a later
 * iteration is the join of the entry state and the state at the back edge,
 * and the back edge can only make variables dead (kill, clobber), never
 * live.  So the only way a later iteration differs is a variable that is
 * live at the head but dead at the back edge; that matters exactly when the
 * loop reads it before writing it (it is "exposed"), which is an error, and
 * otherwise the variable is also dead after the loop unless `pre` writes it.
 *
 * A cfvar is never materialised.  (jtrue c ...) records a pending edge with
 * the cfvars set; the edge lands in the then-branch of the first ite (or
 * loop) that tests one of its cfvars.  Where control falls into such a
 * test, the cfvar's value must be known statically, so the test lowers to
 * a plain jump or to nothing.
 *
 * Raw labels: a forward jump records an edge that joins at the label; a
 * backward jump is checked against the state recorded at the label.
 */
#include "check.h"

#include <stdlib.h>

/* ---- labels -------------------------------------------------------------------- */

u32 new_label(Checker *c) { return c->u.next_label++; }

/* The label named `name` in the current unit, created on first use. */
u32 label_id(Checker *c, u32 name, u32 pos)
{
	LabelScope *s = &c->u.labels;
	vec_cover(&s->of_name, name, NONE);
	u32 i = s->of_name.v[name];
	if (i == NONE) {
		i = s->labels.n;
		Label l = {.name = name, .id = new_label(c), .use_pos = pos};
		vec_push(&s->labels, l);
		s->of_name.v[name] = i;
		vec_cover(&s->of_id, l.id, NONE);
		s->of_id.v[l.id] = i;
	}
	return s->labels.v[i].id;
}

/* The named label with this id, or NULL (a structured form's label). */
static Label *label_of_id(Checker *c, u32 id)
{
	LabelScope *s = &c->u.labels;
	u32 i = id < s->of_id.n ? s->of_id.v[id] : NONE;
	return i == NONE ? NULL : &s->labels.v[i];
}

void end_label_scope(Checker *c, LabelScope *s)
{
	for (u32 i = 0; i < s->labels.n; i++) {
		Label *l = &s->labels.v[i];
		if (!l->defined)
			err_at(c, l->use_pos, "undefined label %s", name_of(c, l->name));
		s->of_name.v[l->name] = NONE;
		flow_free(&c->u, &l->state);
	}
	s->labels.n = 0;
	s->of_id.n = 0; /* the next unit numbers its labels from 0 */
}

void free_label_scope(Unit *u, LabelScope *s)
{
	for (u32 i = 0; i < s->labels.n; i++)
		flow_free(u, &s->labels.v[i].state);
	vec_free(&s->labels);
	vec_free(&s->of_name);
	vec_free(&s->of_id);
}

static void add_edge(Checker *c, Edge e, EdgeList *l)
{
	Unit *u = &c->u;
	u32 i = u->edge_free;
	if (i == NONE)
		vec_push(&u->edges, e), i = u->edges.n - 1;
	else
		u->edge_free = u->edges.v[i].next, u->edges.v[i] = e;
	Edge *x = &u->edges.v[i];
	x->next = NONE;
	flow_take(&x->flow);
	flow_copy(u, &x->flow, &u->flow);
	if (l->last == NONE)
		l->first = i;
	else
		u->edges.v[l->last].next = i;
	l->last = i;
}

/* Joins into c->u.flow every edge of l that `take` accepts (NULL: all),
 * in order, and drops them. */
static void land_edges(Checker *c, EdgeList *l, bool (*take)(Checker *, const Edge *, u32), u32 arg, u32 pos)
{
	Unit *u = &c->u;
	for (u32 i = l->first, prev = NONE, next; i != NONE; i = next) {
		Edge *e = &u->edges.v[i];
		next = e->next;
		if (take && !take(c, e, arg)) {
			prev = i;
			continue;
		}
		flow_join(c, &e->flow, pos);
		flow_free(u, &e->flow);
		if (prev == NONE)
			l->first = next;
		else
			u->edges.v[prev].next = next;
		if (l->last == i)
			l->last = prev;
		e->next = u->edge_free;
		u->edge_free = i;
	}
}

/* The list of the jumps pending to a label. */
static EdgeList *edges_to(Unit *u, u32 label)
{
	EdgeList none = {NONE, NONE};
	vec_cover(&u->edges_to, label, none);
	return &u->edges_to.v[label];
}

void edges_reset(Unit *u)
{
	for (u32 i = 0; i < u->edges.n; i++)
		flow_free(u, &u->edges.v[i].flow); /* a free slot's is empty */
	u->edges.n = u->edges_to.n = 0;
	u->jtrues = (EdgeList){NONE, NONE};
	u->edge_free = NONE;
}

typedef struct JumpBack {
	Checker *c;
	u32 n;
	const Label *l;
	bool found;
} JumpBack;

/* A variable live at the label (at) must be live at the jump (now: NULL
 * when it has ended since). */
static void jump_back_var(void *ctx, u32 s, const VarState *at, const VarState *now)
{
	JumpBack *j = ctx;
	const Var *var = &j->c->u.vars.v[at->var];
	(void)s;
	if (var->kind == V_CFVAR || at->st != VS_LIVE || (now && now->st == VS_LIVE))
		return;
	err(j->c, j->n, "%s is live at label %s but dead at this jump back to it",
	    name_of(j->c, var->name), name_of(j->c, j->l->name));
	j->found = true;
}

/* A variable live at a label must be live at every jump back to it; one
 * whose block has ended since the label is dead here, even if a later
 * variable has its slot.  In scope, only the states that differ are
 * compared; those of the variables that have ended are looked at again
 * only when more have ended, or if one was live (each jump is an error
 * then).  And a label control did not reach where it stands (after a
 * jump, with no jump to it before it) had its code checked, and lowered,
 * as unreachable: a jump back into it is refused, not taken into code
 * nothing checked (an ite there lost the jump over its else-branch). */
static void check_backward(Checker *c, u32 n, Label *l)
{
	const Flow *at = &l->state, *now = &c->u.flow;
	if (now->reachable && !at->reachable) {
		err(c, n, "jump back to %s, which control did not reach where it stands: the code "
			  "after it was checked as unreachable", name_of(c, l->name));
		note_at_pos(c, l->def_pos, "%s comes after code that does not fall through, and no "
					   "jump to it comes before it", name_of(c, l->name));
		return;
	}
	if (!now->reachable || !at->reachable)
		return;
	JumpBack j = {c, n, l, false};
	u32 in = states_in_scope(c, &at->vs);
	vs_diff(&at->vs, &now->vs, 0, in, jump_back_var, &j);
	if (in == l->ended_from && !l->ended_live)
		return; /* the label's states do not change: none of those is live */
	j.found = false;
	vs_diff(&at->vs, NULL, in, at->vs.n, jump_back_var, &j);
	l->ended_from = in;
	l->ended_live = j.found;
}

/* A jump or call to a label. */
void jump_edge(Checker *c, u32 n, u32 label)
{
	Label *l = label_of_id(c, label);
	if (!c->u.flow.reachable)
		return;
	if (l && l->defined) {
		check_backward(c, n, l);
		return;
	}
	add_edge(c, (Edge){.ins = NONE}, edges_to(&c->u, label));
}

void stmt_lab(Checker *c, u32 n)
{
	u32 name = kid(c, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF || kid(c, n, 1) != NONE) {
		err(c, n, "lab takes one label definition: (lab :name.0)");
		return;
	}
	u32 id = label_id(c, nd(c, name)->val, nd(c, name)->pos);
	Label *l = label_of_id(c, id);
	if (l->defined) {
		err(c, name, "label %s is defined twice", name_of(c, nd(c, name)->val));
		return;
	}
	if (global_lookup(c->p, global_key(c->p, nd(c, name)->val, c->file)) != NONE) {
		err(c, name, "label %s has the name of a global", name_of(c, nd(c, name)->val));
		return;
	}
	land_edges(c, edges_to(&c->u, id), NULL, 0, nd(c, n)->pos);
	l = label_of_id(c, id);
	l->defined = true;
	l->def_pos = nd(c, n)->pos;
	l->ended_from = NONE;
	flow_copy(&c->u, &l->state, &c->u.flow);
	Ins *ins = emit(c, P_LABEL, n);
	ins->o[0] = (Opnd){.kind = OK_LABEL, .sym = id};
	ins->nopnd = 1;
}

/* ---- conditions ------------------------------------------------------------------- */

static const i8 cond_codes[] = {
#define COND(name, code) code,
	AMD64_CONDS(COND)
#undef COND
};

/* The condition code a (zf) (e) ... node names, or NONE. */
u32 cond_code(const Checker *c, u32 n)
{
	if (n == NONE || nd(c, n)->kind != N_TREE || !IS_COND_TAG(nd(c, n)->tag) || kid(c, n, 0) != NONE)
		return NONE;
	return (u32)cond_codes[nd(c, n)->tag - TAG_FIRST_COND];
}

static u32 cfvar_of(Checker *c, u32 n)
{
	u32 v = is_name(c, n) ? var_lookup(c, nd(c, n)->val) : NONE;
	return v != NONE && c->u.vars.v[v].kind == V_CFVAR ? v : NONE;
}

static bool edge_names_cfvar(Checker *c, const Edge *e, u32 v)
{
	for (u32 i = 0; i < e->n; i++)
		if (c->u.edge_vars.v[e->first + i] == v) {
			if (e->ins != NONE) /* the jtrue jumps here */
				c->u.code.v[e->ins].o[0].sym = c->u.vars.v[v].label;
			return true;
		}
	return false;
}

/* A test of cfvar v: the current flow becomes the then-state, with the
 * state of the jtrue edges that land here (and of falling in, if v is true
 * there), and *else_flow the else-state; returns the condition. */
static i64 test_cfvar(Checker *c, u32 n, u32 v, Flow *else_flow)
{
	Var *var = &c->u.vars.v[v];
	if (var->tested != NONE) {
		err(c, n, "cfvar %s is tested twice", name_of(c, var->name));
		note_at_pos(c, var->tested, "it is first tested here");
	}
	var->tested = nd(c, n)->pos;
	u8 st = c->u.flow.reachable ? var_state(c, v)->st : CF_FALSE;
	if (st == CF_UNKNOWN) {
		err(c, n, "cfvar %s may or may not be set here, so this test cannot be resolved "
			  "statically", name_of(c, var->name));
		st = CF_FALSE;
	}
	flow_copy(&c->u, else_flow, &c->u.flow);
	if (st == CF_TRUE)
		else_flow->reachable = false;
	else
		c->u.flow.reachable = false;
	land_edges(c, &c->u.jtrues, edge_names_cfvar, v, nd(c, n)->pos);
	return st == CF_TRUE ? COND_CF_TRUE : COND_CF_FALSE;
}

/* Reads a condition: a flag, a comparison or a cfvar.  The current flow
 * becomes the state where it holds, *else_f the state where it does not. */
static bool condition(Checker *c, u32 n, i64 *cond, u32 *then_label, Flow *else_f)
{
	u32 cc = cond_code(c, n), v = cfvar_of(c, n);
	*then_label = NONE;
	if (v != NONE) {
		*cond = test_cfvar(c, n, v, else_f);
		*then_label = c->u.vars.v[v].label;
		return true;
	}
	if (cc == NONE) {
		err(c, n, "expected a condition: a flag such as (zf), a comparison such as (l), or a cfvar");
		return false;
	}
	*cond = cc;
	flags_read(c, n, CC_READS(cc), true);
	flow_copy(&c->u, else_f, &c->u.flow);
	return true;
}

/* A structured op, followed by the empty slots its lowering may fill;
 * lowering finds it in the unit's list. */
static Ins *emit_structured(Checker *c, u16 op, u32 n)
{
	u32 slots = lower_slots(op);
	vec_reserve(&c->u.code, slots); /* the pointer returned stays valid */
	vec_push(&c->u.structured, c->u.code.n);
	Ins *ins = emit(c, op, n);
	for (u32 k = 1; k < slots; k++)
		emit(c, P_NOP, n);
	return ins;
}

static Ins *emit3(Checker *c, u16 op, u32 n, i64 a, u32 b, u32 d)
{
	Ins *ins = emit_structured(c, op, n);
	ins->nopnd = 3;
	ins->o[0] = (Opnd){.kind = OK_IMM, .imm = a, .sym = (u32)a};
	ins->o[1] = (Opnd){.kind = OK_LABEL, .sym = b, .imm = b};
	ins->o[2] = (Opnd){.kind = OK_LABEL, .sym = d, .imm = d};
	return ins;
}

static bool is_block(Checker *c, u32 n, const char *what, u32 parent)
{
	if (is_tree(c, n, TAG_stmts))
		return true;
	err(c, n == NONE ? parent : n, "expected (stmts ...) for the %s", what);
	return false;
}

/* ---- ite ------------------------------------------------------------------------------ */

/* The then-branch runs in the current flow; `other` holds the
 * else-branch's state until then, and the then-branch's end after: the
 * two swap, so no state is copied but the one for the else-branch. */
void stmt_ite(Checker *c, u32 n)
{
	u32 cn = kid(c, n, 0), tn = kid(c, n, 1), en = kid(c, n, 2);
	if (cn == NONE || kid(c, n, 3) != NONE) {
		err(c, n, "expected (ite COND (stmts ...) (stmts ...))");
		return;
	}
	if (!is_block(c, tn, "then-branch", n) || !is_block(c, en, "else-branch", n))
		return;
	Flow other;
	flow_take(&other);
	i64 cond;
	u32 then_label, else_l = new_label(c), end_l = new_label(c);
	if (!condition(c, cn, &cond, &then_label, &other)) {
		flow_free(&c->u, &other);
		return;
	}
	emit3(c, P_ITE, n, cond, then_label, else_l);
	block(c, tn);
	bool then_falls = c->u.flow.reachable;
	flow_swap(&c->u.flow, &other);
	emit3(c, P_ELSE, n, end_l, else_l, then_falls);
	block(c, en);
	flow_join(c, &other, nd(c, n)->pos);
	emit3(c, P_ENDITE, n, end_l, NONE, NONE);
	flow_free(&c->u, &other);
}

/* ---- loop ------------------------------------------------------------------------------- */

static int by_var(const void *a, const void *b)
{
	u32 x = ((const Exposed *)a)->var, y = ((const Exposed *)b)->var;
	return (x > y) - (x < y);
}

/* The loop's reads (the first of each variable) of variables live at the
 * head and dead at the back edge, in the order the variables were
 * declared, in c->u.dead_reads. */
static void find_dead_reads(Checker *c, const Flow *head, const Loop *l)
{
	const Flow *back = &c->u.flow;
	u32 mark = ++c->u.marks;
	c->u.dead_reads.n = 0;
	for (u32 i = 0; i < l->exposed.n; i++) {
		Exposed e = l->exposed.v[i];
		Var *var = &c->u.vars.v[e.var];
		if (var->mark == mark)
			continue;
		var->mark = mark;
		u32 s = var->slot; /* still in scope, if the head has it */
		if (var->kind == V_CFVAR || s >= head->vs.n || vs_get(&head->vs, s)->var != e.var)
			continue;
		if (vs_get(&head->vs, s)->st == VS_LIVE && is_dead(vs_get(&back->vs, s)->st))
			vec_push(&c->u.dead_reads, e);
	}
	if (c->u.dead_reads.n > 1) /* qsort wants an array, even of none */
		qsort(c->u.dead_reads.v, c->u.dead_reads.n, sizeof(Exposed), by_var);
}

/* The back edge: a variable the loop reads before writing must still be
 * live when the loop repeats; rsp must be where it was. */
static void check_back_edge(Checker *c, u32 n, const Flow *head, const Loop *l)
{
	const Flow *back = &c->u.flow;
	if (!back->reachable)
		return;
	find_dead_reads(c, head, l);
	for (u32 i = 0; i < c->u.dead_reads.n; i++) {
		Exposed e = c->u.dead_reads.v[i];
		const Var *var = &c->u.vars.v[e.var];
		const char *name = name_of(c, var->name);
		const VarState *s = vs_get(&back->vs, var->slot);
		if (var->loc != LOC_REG) { /* memory: any use, and only kill ends it */
			err_at(c, e.pos, "the loop uses %s here, but %s has ended when the loop repeats",
			       name, name);
			if (s->why_pos != NONE)
				note_at_pos(c, s->why_pos, "it ends here");
			continue;
		}
		err_at(c, e.pos, "the loop reads %s here before writing it, but %s is dead when the loop repeats",
		       name, name);
		if (s->why_pos != NONE)
			note_at_pos(c, s->why_pos, "it dies here");
	}
	if (head->rsp_known && back->rsp_known && !same_rsp(head, back))
		err(c, n, "rsp is not where it was at the start of the loop when the loop repeats");
	flags_back_edge(c, head, l);
}

typedef struct LoopExit {
	Checker *c;
	Flow *exit_f;
	u32 entry_seq;
} LoopExit;

/* A variable that dies in the body is dead after the loop too (the loop
 * may have run), unless `pre` writes it on every path: x is its state at
 * the exit, y at the back edge. */
static bool exit_takes_back(const Checker *c, const VarState *x, const VarState *y, u32 entry_seq)
{
	if (c->u.vars.v[x->var].kind == V_CFVAR || !is_dead(y->st))
		return false;
	return !(x->wseq >= entry_seq && x->st == VS_LIVE);
}

/* ... and if it ended, its register is free after the loop. */
static void exit_unbind(Checker *c, Flow *exit_f, u32 v, const VarState *y)
{
	const Var *var = &c->u.vars.v[v];
	if (var->loc == LOC_REG && y->st == VS_KILLED && exit_f->owner[var->reg] == v)
		exit_f->owner[var->reg] = NONE;
}

static void visit_exit(void *ctx, u32 s, const VarState *x, const VarState *y)
{
	LoopExit *e = ctx;
	if (!exit_takes_back(e->c, x, y, e->entry_seq))
		return;
	vec_push(&e->c->u.changes, ((SlotState){s, *y}));
	exit_unbind(e->c, e->exit_f, x->var, y);
}

/* A state the exit shares with the back edge needs no change, and its
 * variable is bound to a register only if it has not ended: in a flow
 * that is reachable, no register is bound to a variable that has ended.
 * An unreachable one may have any binding, so its bindings are looked at
 * one by one. */
static void exit_unbind_all(Checker *c, Flow *exit_f, u32 n, u32 entry_seq)
{
	const Flow *back = &c->u.flow;
	if (exit_f->reachable)
		return;
	for (u32 r = 0; r < NFAMILY; r++) {
		u32 v = exit_f->owner[r];
		u32 s = v == NONE ? NONE : c->u.vars.v[v].slot;
		if (s >= n)
			continue;
		const VarState *y = vs_get(&back->vs, s);
		if (exit_takes_back(c, vs_get(&exit_f->vs, s), y, entry_seq))
			exit_unbind(c, exit_f, v, y);
	}
}

/* After the loop: a variable that dies in the body is dead after the loop
 * too, unless `pre` writes it again; only the states that differ at the
 * exit and at the back edge are looked at.  rsp at the exit is where
 * `pre` leaves it, as long as the body brings it back to where it was at
 * the head. */
static void correct_exit(Checker *c, u32 n, Flow *exit_f, const Flow *head, const Loop *l)
{
	const Flow *back = &c->u.flow;
	if (!back->reachable)
		return;
	u32 vars = MIN(head->vs.n, exit_f->vs.n);
	LoopExit e = {c, exit_f, l->entry_seq};
	exit_unbind_all(c, exit_f, vars, l->entry_seq);
	c->u.changes.n = 0;
	vs_diff(&exit_f->vs, &back->vs, 0, vars, visit_exit, &e);
	apply_changes(c, exit_f);
	if (exit_f->rsp_known && !(back->rsp_known && head->rsp_known && same_rsp(head, back))) {
		exit_f->rsp_known = false;
		exit_f->rsp_lost = back->rsp_known ? nd(c, n)->pos : back->rsp_lost;
	}
	exit_f->written |= back->written;
	flags_loop_exit(exit_f, back, l->entry_seq);
}

typedef struct LoopParts {
	u32 pre, cond, body, after;
} LoopParts;

static bool loop_parts(Checker *c, u32 n, LoopParts *lp)
{
	lp->pre = kid(c, n, 0), lp->cond = kid(c, n, 1), lp->body = kid(c, n, 2), lp->after = kid(c, n, 3);
	if (lp->cond == NONE || kid(c, n, 4) != NONE) {
		err(c, n, "expected (loop (stmts pre) COND (stmts body) (stmts after))");
		return false;
	}
	return is_block(c, lp->pre, "part before the condition", n) &&
	       is_block(c, lp->body, "loop body", n) && is_block(c, lp->after, "part after the loop", n);
}

/* A loop entry on u's stack; one that an earlier loop at the same depth
 * left keeps its `exposed` vector, emptied, so loops do not allocate. */
static void push_loop(Unit *u)
{
	if (u->loops.n == u->loops_made) {
		vec_push(&u->loops, (Loop){0});
		u->loops_made++;
	} else {
		u->loops.n++;
	}
	Loop *l = &u->loops.v[u->loops.n - 1];
	l->entry_seq = ++u->seq;
	l->exposed.n = 0;
	for (u32 i = 0; i < NFLAG; i++)
		l->fl_read[i] = NONE;
}

void stmt_loop(Checker *c, u32 n)
{
	LoopParts lp;
	if (!loop_parts(c, n, &lp) || !nest_stmts(c, lp.pre))
		return;
	u32 head_l = new_label(c), exit_l = new_label(c), body_l;
	Flow head, exit_f;
	flow_take(&head);
	flow_take(&exit_f);
	emit3(c, P_LOOP, n, head_l, NONE, NONE)->o[0] = (Opnd){.kind = OK_LABEL, .sym = head_l};
	push_loop(&c->u);
	flow_copy(&c->u, &head, &c->u.flow);
	u32 pre_scope; /* what pre declares is visible in the condition, body and after */
	block_open(c, &pre_scope);
	for (u32 k = lp.pre + 1; k < node_end(&c->tree, lp.pre); k = node_next(&c->tree, k))
		stmt(c, k);
	i64 cond;
	if (!condition(c, lp.cond, &cond, &body_l, &exit_f)) { /* the body runs in the current flow */
		cond = 0;
		flow_none(&exit_f); /* neither way is taken */
		flow_set(c, &exit_f);
	}
	if (body_l == NONE)
		body_l = new_label(c);
	emit3(c, P_LOOPTEST, n, cond, body_l, exit_l);
	block_here(c, lp.body);
	Loop *lo = &c->u.loops.v[c->u.loops.n - 1];
	check_back_edge(c, n, &head, lo);
	correct_exit(c, n, &exit_f, &head, lo);
	emit3(c, P_LOOPEND, n, head_l, exit_l, c->u.flow.reachable);
	c->u.loops.n--; /* its `exposed` stays, for the next loop at this depth */
	flow_set(c, &exit_f);
	block_here(c, lp.after);
	block_close(c, pre_scope);
	flow_free(&c->u, &head);
	flow_free(&c->u, &exit_f);
	unnest_stmts(c);
}

/* ---- cfvar and jtrue ------------------------------------------------------------------------ */

void stmt_cfvar(Checker *c, u32 n)
{
	u32 name = kid(c, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF || kid(c, n, 1) != NONE) {
		err(c, n, "expected (cfvar :name.0): a cfvar has no type and no value");
		return;
	}
	Var v = {.name = nd(c, name)->val, .kind = V_CFVAR, .loc = LOC_STACK, .type = T_BOOL,
		 .pos = nd(c, n)->pos, .label = new_label(c), .tested = NONE};
	v.offset = NONE;
	var_new(c, v, CF_FALSE);
}

void stmt_jtrue(Checker *c, u32 n)
{
	u32 first = c->u.edge_vars.n;
	bool ok = kid(c, n, 0) != NONE;
	if (!ok)
		err(c, n, "jtrue takes one or more cfvars");
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		u32 v = cfvar_of(c, k);
		if (v == NONE) {
			err(c, k, "jtrue takes cfvars; %s is not one", is_name(c, k) ? name_of(c, nd(c, k)->val) : "this");
			ok = false;
		} else if (c->u.vars.v[v].tested != NONE) {
			err(c, k, "the ite that tests %s is not ahead of this jtrue", name_of(c, c->u.vars.v[v].name));
			note_at_pos(c, c->u.vars.v[v].tested, "it is tested here");
			ok = false;
		} else {
			vec_push(&c->u.edge_vars, v);
		}
	}
	Ins *ins = emit_structured(c, P_JTRUE, n);
	ins->nopnd = 1;
	ins->o[0] = (Opnd){.kind = OK_LABEL, .sym = NONE};
	/* A jtrue the checker sees as unreachable (after another jump) still
	 * gets its edge, which gives the jump its target when it lands; its
	 * flow is unreachable, so the landing joins nothing.  (A label that
	 * only a later jump back reaches makes such code run.) */
	if (ok) {
		for (u32 i = first; i < c->u.edge_vars.n; i++)
			var_state_w(c, c->u.edge_vars.v[i])->st = CF_TRUE;
		add_edge(c, (Edge){.first = first, .n = c->u.edge_vars.n - first, .ins = c->u.code.n - 1},
			 &c->u.jtrues);
	}
	unreachable(c);
}

/* At the end of a unit: no jump may be left without its target. */
void cflow_end_proc(Checker *c)
{
	edges_reset(&c->u);
	c->u.edge_vars.n = 0;
}
