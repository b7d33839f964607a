/* call.c - checked calls.
 *
 *   (call f.0 (mov a.0 +56) (mov b.0 x.0) (mov y.0 r.0))
 *
 * Inside the call the callee's parameter and result names are in scope.
 * Argument moves are emitted in the written order before the call; a move
 * whose source already sits in the parameter's register is elided; stack
 * parameters are pushed, last one first, and dropped after the call.
 * Every parameter is assigned once, every result bound once into a
 * register.  After the call, every variable in a register the callee may
 * change is dead.
 */
#include "check.h"

typedef struct Binding {
	Operand dst;
	u32 result; /* index in the signature */
	u32 node;
} Binding;

typedef struct CallState {
	u32 name;           /* the callee: a proc's name, or the variable holding its address */
	const Sig *sig;
	bool done[64];      /* by parameter/result index */
	u32 moved;          /* registers already written by argument moves */
	u32 mover[NFAMILY]; /* the parameter whose move wrote each register */
	u32 next_stack;     /* stack parameters go last first: the next one expected */
	Binding bind[16];
	u32 nbind;
} CallState;

static const char *callee(const Checker *c, const CallState *cs) { return name_of(c, cs->name); }

static const Param *param(const Checker *c, const CallState *cs, u32 i)
{
	return sig_param(c->p, cs->sig, i);
}

/* The stack parameter that comes before `i` in pushing order. */
static u32 prev_stack(const Checker *c, const CallState *cs, u32 i)
{
	while (i-- > 0)
		if (param(c, cs, i)->reg == NOREG)
			return i;
	return NONE;
}

/* An argument move must not read a register an earlier one changed. */
static bool check_overwrite(Checker *c, const CallState *cs, const Operand *src)
{
	u32 reads = src->reads | (src->what == W_REG ? 1u << src->o.reg : 0);
	u32 bad = reads & cs->moved;
	for (u32 r = 0; bad && r < NFAMILY; r++) {
		if (!(bad & (1u << r)))
			continue;
		err(c, src->node, "this reads %s, which the move into %s already changed", reg_str(r, 8),
		    name_of(c, param(c, cs, cs->mover[r])->name));
		return false;
	}
	return true;
}

static void push_argument(Checker *c, u32 n, CallState *cs, u32 i, Operand *src)
{
	if (i != cs->next_stack) {
		err(c, n, "stack parameters are pushed last one first: assign %s before %s",
		    name_of(c, param(c, cs, cs->next_stack)->name), name_of(c, param(c, cs, i)->name));
		return;
	}
	cs->next_stack = prev_stack(c, cs, i);
	Operand dst = {.what = W_MEM, .node = n, .type = param(c, cs, i)->type, .var = NONE};
	if (!types_agree(c, n, &dst, src, "argument"))
		return;
	if (src->what == W_MEM && !src->o.size)
		src->o.size = 8;
	if (src->var != NONE && src->what == W_REG)
		use_var(c, src->node, src->var);
	Opnd o = src->o;
	if (o.kind == OK_REG && o.size != 8)
		err(c, src->node, "a stack argument is pushed as 8 bytes; this register is %u-bit", o.size * 8);
	else
		emit_ins(c, n, TAG_push, &o, 1, 0);
}

static void register_argument(Checker *c, u32 n, CallState *cs, u32 i, Operand *src, bool lea)
{
	const Param *pr = param(c, cs, i);
	Operand dst = {.what = W_REG, .node = n, .type = pr->type, .var = NONE,
		       .o = {.kind = OK_REG, .reg = pr->reg, .size = pr->reg >= XMM0 ? 16 : pr->size}};
	if (!check_overwrite(c, cs, src))
		return;
	u32 owner = c->u.flow.owner[pr->reg];
	if (owner != NONE && owner != src->var)
		clobber_family(c, pr->reg, nd(c, n)->pos, NONE, 0);
	check_move(c, n, lea ? TAG_lea : TAG_mov, &dst, src);
	cs->moved |= 1u << pr->reg;
	cs->mover[pr->reg] = i;
}

static void argument(Checker *c, u32 n, CallState *cs, u32 i, u32 src_node, bool lea)
{
	Operand src;
	if (cs->done[i]) {
		err(c, n, "%s is assigned twice", name_of(c, param(c, cs, i)->name));
		return;
	}
	cs->done[i] = true;
	if (lea && param(c, cs, i)->reg == NOREG) { /* push stores a value, not an address */
		err(c, n, "a stack argument cannot be given with lea; load the address into a "
			  "register with (lea ...) and pass the register");
		return;
	}
	if (!(lea ? address(c, src_node, &src) : operand(c, src_node, &src, false)))
		return;
	if (src.what == W_DATA) {
		err(c, src_node, "%s is an address: pass it with (lea ...)", name_of(c, nd(c, src_node)->val));
		return;
	}
	if (param(c, cs, i)->reg == NOREG)
		push_argument(c, n, cs, i, &src);
	else
		register_argument(c, n, cs, i, &src, lea);
}

static void binding(Checker *c, u32 n, CallState *cs, u32 j, u32 dst_node)
{
	const Param *r = param(c, cs, j);
	Binding *b = &cs->bind[cs->nbind];
	if (cs->done[j]) {
		err(c, n, "%s is bound twice", name_of(c, r->name));
		return;
	}
	cs->done[j] = true;
	if (!operand(c, dst_node, &b->dst, false))
		return;
	if (b->dst.what != W_REG) {
		err(c, dst_node, "a result is bound into a register or a register variable, not memory");
		return;
	}
	Operand res = {.what = W_REG, .node = n, .type = r->type, .var = NONE,
		       .o = {.kind = OK_REG, .reg = r->reg, .size = r->reg >= XMM0 ? 16 : r->size}};
	if (!types_agree(c, n, &b->dst, &res, "result"))
		return;
	if (b->dst.o.size != res.o.size) {
		err(c, dst_node, "%s is %u-bit; it cannot be bound into a %u-bit register",
		    name_of(c, r->name), res.o.size * 8, b->dst.o.size * 8);
		return;
	}
	b->result = j;
	b->node = n;
	cs->nbind++;
}

/* One (mov A B) of a call: an argument or a result binding. */
static void call_move(Checker *c, u32 m, CallState *cs)
{
	u32 a = kid(c, m, 0), b = kid(c, m, 1);
	bool lea = is_tree(c, m, TAG_lea);
	if ((!is_tree(c, m, TAG_mov) && !lea) || a == NONE || b == NONE || kid(c, m, 2) != NONE) {
		err(c, m, "inside a call, write (mov param value) or (mov dest result)");
		return;
	}
	u32 pa = is_name(c, a) ? find_param(c->p, cs->sig, nd(c, a)->val, false) : NONE;
	if (pa != NONE) { /* the common case: search the results only when it is not */
		argument(c, m, cs, pa, b, lea);
		return;
	}
	u32 rb = is_name(c, b) && !lea ? find_param(c->p, cs->sig, nd(c, b)->val, true) : NONE;
	u32 ra = is_name(c, a) && !lea && rb == NONE ? find_param(c->p, cs->sig, nd(c, a)->val, true) : NONE;
	if (rb != NONE)
		binding(c, m, cs, rb, a);
	else if (ra != NONE)
		binding(c, m, cs, ra, b); /* the seed's spelling (mov r.0 y.0) */
	else
		err(c, m, "%s has no parameter %s%s", callee(c, cs),
		    is_name(c, a) ? name_of(c, nd(c, a)->val) : "here",
		    cs->nbind < 16 ? "; assign its parameters or bind its results" : "");
}

static void check_complete(Checker *c, u32 n, const CallState *cs)
{
	u32 total = cs->sig->nparams + cs->sig->nresults;
	for (u32 i = 0; i < total; i++)
		if (!cs->done[i])
			err(c, n, "the call to %s does not %s %s", callee(c, cs),
			    i < cs->sig->nparams ? "assign its parameter" : "bind its result",
			    name_of(c, param(c, cs, i)->name));
}

/* After the call: the callee's clobbers and results change. */
static void call_clobbers(Checker *c, u32 n, const CallState *cs)
{
	u32 mask = cs->sig->clobbers;
	for (u32 i = 0; i < cs->sig->nresults; i++)
		mask |= 1u << param(c, cs, cs->sig->nparams + i)->reg;
	for (u32 r = 0; r < NFAMILY; r++)
		if (mask & (1u << r))
			write_family(c, n, r, cs->name, false);
}

/* Result moves run in order; one must not overwrite a result not yet read. */
static void bind_results(Checker *c, const CallState *cs)
{
	for (u32 i = 0; i < cs->nbind; i++) {
		const Binding *b = &cs->bind[i];
		const Param *r = param(c, cs, b->result);
		for (u32 k = i + 1; k < cs->nbind; k++)
			if (param(c, cs, cs->bind[k].result)->reg == b->dst.o.reg && b->dst.o.reg != r->reg)
				err(c, b->node, "binding %s overwrites %s before %s is read from it",
				    name_of(c, r->name), reg_str(b->dst.o.reg, 8),
				    name_of(c, param(c, cs, cs->bind[k].result)->name));
		Operand dst = b->dst;
		Operand src = {.what = W_REG, .node = b->node, .type = r->type, .var = NONE,
			       .o = {.kind = OK_REG, .reg = r->reg, .size = dst.o.size}};
		check_move(c, b->node, TAG_mov, &dst, &src);
	}
}

/* A checked call to `target`: a proc (OK_GLOBAL) or the code address in a
 * variable of a proc type (a register or a stack slot). */
static void checked_call(Checker *c, u32 n, u32 name, const Sig *sig, Operand *target)
{
	CallState cs = {.name = name, .sig = sig};
	if (cs.sig->nparams + cs.sig->nresults > COUNTOF(cs.done)) {
		err(c, n, "%s has more than %zu parameters and results", callee(c, &cs), COUNTOF(cs.done));
		return;
	}
	cs.next_stack = prev_stack(c, &cs, cs.sig->nparams);
	for (u32 m = node_next(&c->tree, kid(c, n, 0)); m < node_end(&c->tree, n); m = node_next(&c->tree, m)) {
		if (cs.nbind == COUNTOF(cs.bind)) {
			err(c, m, "too many result bindings");
			return;
		}
		call_move(c, m, &cs);
	}
	check_complete(c, n, &cs);
	if (target->var != NONE && target->what == W_REG && !use_var(c, kid(c, n, 0), target->var))
		return;
	emit_ins(c, n, TAG_call, &target->o, 1, 0);
	if (cs.sig->stack_bytes)
		emit_ins(c, n, TAG_add, (Opnd[]){{.kind = OK_REG, .reg = RSP, .size = 8},
						 {.kind = OK_IMM, .imm = cs.sig->stack_bytes}}, 2, 0);
	call_clobbers(c, n, &cs);
	flags_call(c, nd(c, n)->pos, cs.name); /* after the add of the stack arguments, too */
	bind_results(c, &cs);
}

/* The signature of a variable's proc type, or NULL. */
static const Sig *var_sig(Checker *c, u32 n, u32 v, Operand *target)
{
	const Type *t = type_get(&c->p->types, c->u.vars.v[v].type);
	if (t->kind != TY_PROC)
		return NULL;
	if (t->first == NONE) {
		err(c, n, "%s has no register signature; declare its type with (params ...), "
			  "(result ...) and (clobber ...) to call through it", name_of(c, c->u.vars.v[v].name));
		return NULL;
	}
	if (!operand(c, n, target, false))
		return NULL;
	return &c->p->sigs.v[t->first];
}

void check_call(Checker *c, u32 n)
{
	u32 t = kid(c, n, 0);
	u32 v = is_name(c, t) ? var_lookup(c, nd(c, t)->val) : NONE;
	u32 g = is_name(c, t) && v == NONE ? global_find(c->p, nd(c, t)->val, c->file) : NONE;
	if (g != NONE && c->p->globals.v[g].kind == G_PROC) {
		Operand target = {.what = W_PROC, .o = {.kind = OK_GLOBAL, .sym = g}, .var = NONE};
		checked_call(c, n, c->p->globals.v[g].name, proc_sig(c->p, g), &target);
		return;
	}
	Operand target;
	const Sig *sig = v != NONE ? var_sig(c, t, v, &target) : NULL;
	if (sig) {
		checked_call(c, n, c->u.vars.v[v].name, sig, &target);
		return;
	}
	if (v != NONE && type_get(&c->p->types, c->u.vars.v[v].type)->kind == TY_PROC)
		return; /* reported by var_sig */
	if (kid(c, n, 1) != NONE) {
		const LabelScope *ls = &c->u.labels;
		u32 name = is_name(c, t) ? nd(c, t)->val : NONE;
		bool label = name != NONE && name < ls->of_name.n && ls->of_name.v[name] != NONE;
		if (name != NONE && v == NONE && g == NONE && !label)
			err(c, t, "unknown proc %s", name_of(c, name));
		else
			err(c, n, "only a call to a proc takes arguments");
		return;
	}
	check_ins(c, n, 0);
}
