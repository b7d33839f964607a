/* operand.c - from operand nodes to typed machine operands.
 *
 * Registers and variables become register operands; immediates keep their
 * value and are typed by their destination; address expressions - a stack
 * variable, a global, (dot base field), (at base index), (mem ...) - become
 * memory operands whose type is the type of the memory, with field offsets,
 * element scales and stack offsets computed here.
 */
#include "check.h"

typedef struct RegInfo {
	u8 family, bytes, hi;
} RegInfo;

static const RegInfo reg_info[] = {
#define REG(name, fam, bytes, hi) {fam, bytes, hi},
	AMD64_REGS(REG)
#undef REG
};

u32 reg_of_node(const Checker *c, u32 n, u8 *size)
{
	if (n == NONE || nd(c, n)->kind != N_TREE || !IS_REG_TAG(nd(c, n)->tag))
		return NONE;
	const RegInfo *ri = &reg_info[nd(c, n)->tag - TAG_FIRST_REG];
	if (size)
		*size = ri->bytes;
	return ri->hi ? NONE : ri->family;
}

static const Types *ts(const Checker *c) { return &c->p->types; }
static const Type *ty(const Checker *c, u32 t) { return type_get(ts(c), t); }

/* Operands are written where they go, never returned by value: a packed
 * Opnd returned by value went through a temporary on the stack, and
 * copying it out right after its narrow stores stalled (store forwarding:
 * var_operand's copy was 1/3 of operand()'s time at 10^6). */
static void set_mem(Opnd *o, u8 base, i64 disp)
{
	*o = (Opnd){.kind = OK_MEM, .base = base, .index = NOREG, .scale = 1, .imm = disp};
}

/* The operand size of memory holding a value of type t, or 0. */
static u8 mem_size_of(const Checker *c, u32 t)
{
	if (t == NONE)
		return 0;
	u32 s = ty(c, t)->size;
	return (s == 1 || s == 2 || s == 4 || s == 8) && type_is_scalar(ts(c), t) ? (u8)s : 0;
}

/* ---- variables -------------------------------------------------------------------- */

u32 var_lookup(const Checker *c, u32 name)
{
	return name < c->u.var_of_name.n ? c->u.var_of_name.v[name] : NONE;
}

static void set_var_opnd(Checker *c, u32 v, Opnd *o)
{
	const Var *var = &c->u.vars.v[v];
	*o = (Opnd){.kind = OK_REG, .size = var->size, .reg = var->reg};
}

/* The memory of a stack variable or stack parameter, relative to rsp. */
bool slot_opnd(Checker *c, u32 n, u32 v, Opnd *o)
{
	const Var *var = &c->u.vars.v[v];
	const Flow *f = &c->u.flow;
	if (!f->reachable) {
		set_mem(o, RSP, 0);
		return true;
	}
	if (!f->rsp_known) {
		err(c, n, "%s cannot be addressed: rsp cannot be followed here", name_of(c, var->name));
		if (f->rsp_lost != NONE)
			note_at_pos(c, f->rsp_lost, "rsp changed here in a way nifasm cannot follow");
		return false;
	}
	if (var->loc == LOC_STACK && !f->frame) {
		err(c, n, "%s is a stack slot, but the frame is not allocated here; "
			  "allocate it with (sub (rsp) (ssize))", name_of(c, var->name));
		return false;
	}
	if (var->loc == LOC_STACK) {
		set_mem(o, RSP, (i64)f->extra + var->offset);
		return true;
	}
	set_mem(o, RSP, (i64)f->below + f->extra + 8 + var->offset);
	if (f->frame)
		o->flags |= OF_SSIZE; /* the frame size is added when it is known */
	return true;
}

/* Inlined into name_operand, the hot path, though var_as_operand calls it too. */
static inline __attribute__((always_inline)) bool var_operand(Checker *c, u32 n, u32 v, Operand *op)
{
	const Var *var = &c->u.vars.v[v];
	op->var = v;
	op->type = var->type;
	if (var->kind == V_CFVAR) {
		err(c, n, "%s is a cfvar: only ite and loop test it and only jtrue sets it",
		    name_of(c, var->name));
		return false;
	}
	if (var->loc == LOC_REG) {
		op->what = W_REG;
		set_var_opnd(c, v, &op->o);
		return true;
	}
	op->what = W_MEM;
	if (!slot_opnd(c, n, v, &op->o))
		return false;
	/* memory is not tracked for values (a stack variable is live from its
	 * declaration), but a variable that has ended may not be touched, and
	 * a loop that uses it must not end it before it repeats */
	use_var(c, n, v);
	op->o.size = mem_size_of(c, var->type);
	op->reads = 1u << RSP;
	return true;
}

/* var_operand for the checker's other files (stmt_var).  An exported
 * var_operand was not inlined into name_operand: +1M instructions (0.5%)
 * on the 1e5 benchmark. */
bool var_as_operand(Checker *c, u32 n, u32 v, Operand *op) { return var_operand(c, n, v, op); }

/* ---- names ---------------------------------------------------------------------------- */

static bool global_operand(Checker *c, u32 n, u32 g, Operand *op, bool branch)
{
	const Global *gl = &c->p->globals.v[g];
	if (gl->kind == G_PROC) {
		op->what = W_PROC;
		op->o = (Opnd){.kind = OK_GLOBAL, .sym = g};
		return true;
	}
	if (gl->kind == G_RODATA || gl->kind == G_GVAR) {
		op->what = W_DATA;
		set_mem(&op->o, RIPREG, 0);
		op->o.sym = g;
		op->type = gl->type;
		op->o.size = mem_size_of(c, gl->type);
		return true;
	}
	if (gl->kind == G_TVAR) { /* fs:tpoff, which a register can index */
		op->what = W_DATA;
		set_mem(&op->o, NOREG, 0);
		op->o.flags = OF_FS | OF_TPOFF;
		op->o.sym = g;
		op->type = gl->type;
		op->o.size = mem_size_of(c, gl->type);
		return true;
	}
	if (branch)
		return false;
	err(c, n, "%s is a type, not a value", name_of(c, gl->name));
	return false;
}

static bool name_operand(Checker *c, u32 n, Operand *op, bool branch)
{
	u32 name = nd(c, n)->val;
	u32 v = var_lookup(c, name);
	if (v != NONE)
		return var_operand(c, n, v, op);
	u32 g = global_find(c->p, name, c->file);
	if (g != NONE && global_operand(c, n, g, op, branch))
		return true;
	if (branch) {
		op->what = W_LABEL;
		op->o = (Opnd){.kind = OK_LABEL, .sym = label_id(c, name, nd(c, n)->pos)};
		return true;
	}
	if (g == NONE)
		err(c, n, "undeclared name %s", name_of(c, name));
	return false;
}

/* ---- registers and immediates --------------------------------------------------------- */

static bool reg_operand(Checker *c, u32 n, Operand *op)
{
	if (nd(c, n)->span > 1) { /* it has children */
		err(c, n, "register (%s) takes no arguments", tag_name(c, n));
		return false;
	}
	const RegInfo *ri = &reg_info[nd(c, n)->tag - TAG_FIRST_REG];
	op->what = W_REG;
	op->o = (Opnd){.kind = OK_REG, .size = ri->bytes, .reg = ri->family, .hi = ri->hi};
	op->type = type_raw(ri->bytes);
	return raw_reg_ok(c, n, ri->family);
}

static bool imm_operand(Checker *c, u32 n, Operand *op)
{
	op->what = W_IMM;
	op->o = (Opnd){.kind = OK_IMM, .imm = node_int(&c->tree, n)};
	op->type = NONE;
	return true;
}

static bool ssize_operand(Checker *c, u32 n, Operand *op)
{
	if (kid(c, n, 0) != NONE) {
		err(c, n, "(ssize) takes no arguments");
		return false;
	}
	op->what = W_IMM;
	op->o = (Opnd){.kind = OK_IMM, .flags = OF_SSIZE};
	op->type = NONE;
	return true;
}

/* ---- address expressions ---------------------------------------------------------------- */

/* m is the caller's operand, filled in place: an Operand built in a local
 * and then copied whole was a store-forwarding stall (the copy's wide
 * loads read many narrow stores), 0.5% of the time at 10^6. */
typedef struct Addr {
	Operand *m;  /* W_MEM, type = the type of the memory */
	u32 elem;    /* indexable memory: its element type, else NONE */
	u64 count;   /* number of elements when known, else 0 */
} Addr;

static bool addr_expr(Checker *c, u32 n, Addr *a);

static void set_array(Checker *c, Addr *a)
{
	const Type *t = ty(c, a->m->type);
	a->elem = t->kind == TY_ARRAY ? t->elem : NONE;
	a->count = t->kind == TY_ARRAY ? t->count : 0;
}

/* Memory at a register that holds a typed pointer. */
static bool deref_reg(Checker *c, u32 n, Addr *a)
{
	const Operand *r = a->m; /* a register, about to become the memory it points at */
	const Type *t = ty(c, r->type);
	if (t->kind != TY_PTR && t->kind != TY_APTR) {
		if (t->kind == TY_RAW)
			err(c, n, "%s is an untyped register; give it a pointer type, e.g. "
				  "(cast (ptr T) ...)", reg_str(r->o.reg, 8));
		else
			err(c, n, "%s is not a pointer: its type is %s",
			    r->var != NONE ? name_of(c, c->u.vars.v[r->var].name) : "the operand",
			    type_name(c, r->type));
		return false;
	}
	if (r->o.size != 8) {
		err(c, n, "an address needs a 64-bit register");
		return false;
	}
	u8 reg = r->o.reg;
	a->m->what = W_MEM;
	set_mem(&a->m->o, reg, 0);
	a->m->type = t->elem;
	a->m->reads = 1u << reg;
	a->m->var = NONE;
	set_array(c, a);
	if (t->kind == TY_APTR && a->elem == NONE) /* an aptr walks an array of its element */
		a->elem = t->elem;
	return true;
}

/* A name, a register or a cast as the base of an address: a cast of a
 * register is a pointer to dereference, a cast of a stack variable or a
 * global is that memory seen as the cast's type. */
static bool addr_base(Checker *c, u32 n, Addr *a)
{
	Operand *r = a->m;
	if (!operand(c, n, r, false))
		return false;
	if (r->what == W_REG) {
		if (r->var != NONE && !use_var(c, n, r->var))
			return false;
		return deref_reg(c, n, a);
	}
	if (r->what == W_MEM || r->what == W_DATA) {
		if (is_tree(c, n, TAG_mem)) { /* only memory gets here */
			err(c, n, "a (mem ...) cannot be the base of an address: x86 has no operand "
				  "that loads an address from memory; load it into a register first, "
				  "as in (mov (rax) (mem ...)), then use (mem (rax))");
			return false;
		}
		r->what = W_MEM;
		set_array(c, a);
		return true;
	}
	if (r->what == W_PROC) { /* a proc's code, for lea: the address of the proc */
		u32 proc = r->o.sym;
		r->what = W_MEM;
		set_mem(&r->o, RIPREG, 0);
		r->o.sym = proc;
		r->type = c->p->globals.v[proc].type;
		set_array(c, a);
		return true;
	}
	err(c, n, "expected an address: a pointer, a stack variable or a global");
	return false;
}

static bool addr_dot(Checker *c, u32 n, Addr *a)
{
	u32 b = kid(c, n, 0), f = kid(c, n, 1);
	if (b == NONE || f == NONE || kid(c, n, 2) != NONE ||
	    (nd(c, f)->kind != N_IDENT && nd(c, f)->kind != N_SYMDEF && nd(c, f)->kind != N_SYM)) {
		err(c, n, "dot takes a base and a field name: (dot p x)");
		return false;
	}
	if (!addr_expr(c, b, a))
		return false;
	const Field *fld = type_field(ts(c), a->m->type, nd(c, f)->val);
	if (!fld) {
		const Type *t = ty(c, a->m->type);
		if (t->kind != TY_OBJECT && t->kind != TY_UNION)
			err(c, b, "(dot ...) needs an object or a union, not %s", type_name(c, a->m->type));
		else
			err(c, f, "%s has no field %s", type_name(c, a->m->type), name_of(c, nd(c, f)->val));
		return false;
	}
	a->m->o.imm += fld->offset;
	a->m->type = fld->type;
	a->m->node = n;
	set_array(c, a);
	return true;
}

/* A register index: a 64-bit integer register or variable. */
static bool index_reg(Checker *c, u32 n, u32 *family, u32 *reads)
{
	Operand r = {.var = NONE};
	if (!operand(c, n, &r, false))
		return false;
	if (r.what != W_REG || r.o.reg >= XMM0) {
		err(c, n, "an index must be a register or a constant");
		return false;
	}
	if (r.var != NONE && !use_var(c, n, r.var))
		return false;
	if (r.o.size != 8 || r.o.reg == RSP || !(type_is_int(ts(c), r.type) || ty(c, r.type)->kind == TY_RAW)) {
		err(c, n, "an index must be a 64-bit integer register other than rsp");
		return false;
	}
	*family = r.o.reg;
	*reads = 1u << r.o.reg;
	return true;
}

static bool index_const(Checker *c, u32 i, Addr *a, u32 esize)
{
	i64 k = node_int(&c->tree, i), d;
	if (a->count && (k < 0 || (u64)k >= a->count)) {
		err(c, i, "index %lld is out of bounds for %s", (long long)k, type_name(c, a->m->type));
		return false;
	}
	if (__builtin_mul_overflow(k, (i64)esize, &d) || __builtin_add_overflow(a->m->o.imm, d, &d)) {
		err(c, i, "index %lld puts the address out of reach of a 32-bit displacement",
		    (long long)k);
		return false;
	}
	a->m->o.imm = d;
	return true;
}

/* Adds the index register at node idx to memory m, scaled by the element
 * size s for (at ...) (scale == NONE) or by the number at node `scale`
 * for (mem base idx scale). */
static bool add_index(Checker *c, u32 idx, u32 scale, i64 s, Operand *m)
{
	u32 family, reads;
	bool at = scale == NONE;
	if (!index_reg(c, idx, &family, &reads) || (!at && !int_kid(c, scale, &s)))
		return false;
	if (s != 1 && s != 2 && s != 4 && s != 8) {
		if (at)
			err(c, idx, "elements of %lld bytes cannot be indexed by a register: the scale "
				    "must be 1, 2, 4 or 8", (long long)s);
		else
			err(c, scale, "scale must be 1, 2, 4 or 8, not %lld", (long long)s);
		return false;
	}
	if (m->o.base == RIPREG) {
		err(c, idx, at ? "a global cannot be indexed by a register (RIP-relative addresses "
				 "have no index); load its address with (lea ...) first"
			       : "a global cannot be indexed with (mem ...); use (at ...)");
		return false;
	}
	if (m->o.index != NOREG) {
		err(c, idx, "an address can hold only one index register");
		return false;
	}
	m->o.index = (u8)family;
	m->o.scale = (u8)s;
	m->reads |= reads;
	return true;
}

static bool addr_at(Checker *c, u32 n, Addr *a)
{
	u32 b = kid(c, n, 0), i = kid(c, n, 1);
	if (b == NONE || i == NONE || kid(c, n, 2) != NONE) {
		err(c, n, "at takes a base and an index: (at arr (rcx))");
		return false;
	}
	if (!addr_expr(c, b, a))
		return false;
	if (a->elem == NONE) {
		err(c, b, "(at ...) needs an aptr or an array, not %s", type_name(c, a->m->type));
		return false;
	}
	u32 esize = type_size(c, a->elem);
	bool ok = nd(c, i)->kind == N_INT || nd(c, i)->kind == N_UINT ? index_const(c, i, a, esize)
								       : add_index(c, i, NONE, esize, a->m);
	a->m->type = a->elem;
	a->m->node = n;
	set_array(c, a);
	return ok;
}

/* The operands that hold operands recurse, a few frames a level, so they
 * nest at most NEST_MAX levels (STACK_BYTES holds that many); the node
 * past the limit is an error, and the instruction goes unchecked. */
static bool nest_operand(Checker *c, u32 n) { return nest_enter(c, n, &c->opnd_depth, "operands"); }

static bool addr_expr(Checker *c, u32 n, Addr *a)
{
	const Node *x = nd(c, n);
	bool dot = x->kind == N_TREE && x->tag == TAG_dot;
	if (!dot && !(x->kind == N_TREE && x->tag == TAG_at))
		return addr_base(c, n, a);
	if (!nest_operand(c, n))
		return false;
	bool ok = dot ? addr_dot(c, n, a) : addr_at(c, n, a);
	c->opnd_depth--;
	return ok;
}

/* ---- (mem ...) ---------------------------------------------------------------------------- */

static bool explicit_offset(Checker *c, u32 n, i64 *off)
{
	if (!int_kid(c, n, off))
		return false;
	if (*off != (i32)*off) {
		err(c, n, "offset %lld does not fit in 32 bits", (long long)*off);
		return false;
	}
	return true;
}

/* A raw register as the base of (mem ...): untyped memory. */
static bool mem_raw_base(Checker *c, u32 n, Operand *op)
{
	u8 size;
	u32 family = reg_of_node(c, n, &size);
	if (family == NONE || size != 8 || family >= XMM0) {
		err(c, n, "a memory base must be a 64-bit general register, not %s", tag_name(c, n));
		return false;
	}
	if (!raw_reg_ok(c, n, family))
		return false;
	set_mem(&op->o, (u8)family, 0);
	op->type = NONE;
	op->reads = 1u << family;
	return true;
}

/* Field offsets, constant indices and explicit offsets add up to one
 * displacement, which x86 encodes in 32 bits (for a global, as the
 * offset from its symbol). */
static bool disp_fits(Checker *c, u32 n, const Operand *op)
{
	if (op->o.imm == (i32)op->o.imm)
		return true;
	err(c, n, "the address's displacement %lld does not fit in 32 bits", (long long)op->o.imm);
	return false;
}

/* (mem X) is the memory X addresses; with an offset or an index the result
 * is untyped, as the seed says explicit addressing forfeits type safety. */
static bool operand_mem(Checker *c, u32 n, Operand *op)
{
	u32 k[5], nk = 0;
	for (u32 ch = n + 1; ch < node_end(&c->tree, n) && nk < 5; ch = node_next(&c->tree, ch))
		k[nk++] = ch;
	if (nk < 1 || nk > 4) {
		err(c, n, "mem takes 1 to 4 operands: (mem base [index scale] [offset])");
		return false;
	}
	op->what = W_MEM;
	op->var = NONE;
	if (nd(c, k[0])->kind == N_TREE && IS_REG_TAG(nd(c, k[0])->tag)) {
		if (!mem_raw_base(c, k[0], op))
			return false;
	} else {
		Addr a = {.m = op};
		if (!addr_expr(c, k[0], &a))
			return false;
		if (nk > 1)
			op->type = NONE;
	}
	if ((nk == 3 || nk == 4) && !add_index(c, k[1], k[2], 0, op))
		return false;
	i64 off = 0;
	if ((nk == 2 || nk == 4) && !explicit_offset(c, k[nk - 1], &off))
		return false;
	op->o.imm += off;
	op->o.size = op->type == NONE ? 0 : mem_size_of(c, op->type);
	op->node = n;
	return disp_fits(c, n, op);
}

static bool cast_operand(Checker *c, u32 n, Operand *op, bool branch);

/* A (mem ...) or a (cast ...), one level deeper. */
static bool nested_operand(Checker *c, u32 n, Operand *op, bool branch)
{
	if (!nest_operand(c, n))
		return false;
	bool ok = nd(c, n)->tag == TAG_mem ? operand_mem(c, n, op) : cast_operand(c, n, op, branch);
	c->opnd_depth--;
	return ok;
}

bool address(Checker *c, u32 n, Operand *op)
{
	if (is_tree(c, n, TAG_mem))
		return nested_operand(c, n, op, false);
	Addr a = {.m = op};
	if (!addr_expr(c, n, &a))
		return false;
	op->node = n;
	return disp_fits(c, n, op);
}

/* ---- cast ------------------------------------------------------------------------------------ */

static bool cast_operand(Checker *c, u32 n, Operand *op, bool branch)
{
	u32 tn = kid(c, n, 0), on = kid(c, n, 1);
	if (tn == NONE || on == NONE || kid(c, n, 2) != NONE) {
		err(c, n, "cast takes a type and an operand: (cast (i +32) (mem (rax)))");
		return false;
	}
	u32 t = parse_type(c, tn);
	if (t == NONE || !operand(c, on, op, branch))
		return false;
	u32 size = type_size(c, t);
	if (op->what == W_MEM || op->what == W_DATA) {
		u8 ms = mem_size_of(c, t);
		if (!ms && type_is_scalar(ts(c), t)) {
			err(c, tn, "a memory operand cannot be %u bytes wide", size);
			return false;
		}
		op->o.size = ms;
	} else if (op->what == W_REG && op->o.size != size && !(op->o.reg >= XMM0 && size <= 16)) {
		err(c, n, "cannot cast a %u-bit register to %s, a %u-bit type", op->o.size * 8,
		    type_name(c, t), size * 8);
		return false;
	}
	op->type = t;
	op->node = n;
	return true;
}

/* ---- operands ------------------------------------------------------------------------------------ */

static bool tree_operand(Checker *c, u32 n, Operand *op, bool branch)
{
	u16 tag = nd(c, n)->tag;
	if (IS_REG_TAG(tag))
		return reg_operand(c, n, op);
	switch (tag) {
	case TAG_mem:
	case TAG_cast: return nested_operand(c, n, op, branch);
	case TAG_ssize: return ssize_operand(c, n, op);
	case TAG_dot:
	case TAG_at:
		err(c, n, "(%s ...) is an address: load with (mem (%s ...)) or take it with (lea ...)",
		    tag_name(c, n), tag_name(c, n));
		return false;
	case TAG_UNKNOWN:
		err(c, n, "unknown tag '%s'", tag_name(c, n));
		return false;
	}
	err(c, n, "(%s ...) cannot be an operand", tag_name(c, n));
	return false;
}

bool operand(Checker *c, u32 n, Operand *op, bool branch)
{
	*op = (Operand){.node = n, .var = NONE, .type = NONE};
	switch (nd(c, n)->kind) {
	case N_INT:
	case N_UINT:
	case N_CHAR:
		return imm_operand(c, n, op);
	case N_SYM:
	case N_IDENT:
		return name_operand(c, n, op, branch);
	case N_TREE:
		return tree_operand(c, n, op, branch);
	default:
		err(c, n, "unexpected operand");
		return false;
	}
}
