/* check.c - the checker's driver, statements and instructions.
 *
 * The code pass reads one top-level node at a time.  A proc is checked,
 * lowered and encoded as soon as it has been read, so memory grows with
 * the largest proc, not with the file; top-level instructions accumulate
 * in their own unit and are encoded at the end of the first file.
 */
#include "check.h"

#include <stdio.h>

/* ---- diagnostics and small helpers --------------------------------------------- */

void err(Checker *c, u32 n, const char *fmt, ...)
{
	Origin org = node_origin(&c->tree, &c->p->names, n);
	va_list ap;
	va_start(ap, fmt);
	vdiag_at(DIAG_ERROR, c->src, nd(c, n)->pos, &org, fmt, ap);
	va_end(ap);
}

void err_at(Checker *c, u32 pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag_at(DIAG_ERROR, c->src, pos, NULL, fmt, ap);
	va_end(ap);
}

void note_at_pos(Checker *c, u32 pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag_at(DIAG_NOTE, c->src, pos, NULL, fmt, ap);
	va_end(ap);
}

const char *name_of(const Checker *c, u32 name) { return name_str(&c->p->names, name); }
const char *tag_name(const Checker *c, u32 n) { return name_of(c, nd(c, n)->val); }
const char *reg_str(u32 family, u32 size) { return T_amd64.reg_name(family, size, false); }

/* A type's spelling for messages; valid until the next call. */
const char *type_name(Checker *c, u32 ty)
{
	static Buf b; /* one message at a time */
	b.n = 0;
	if (ty == NONE)
		return "an untyped value";
	return type_str(&c->p->types, &c->p->names, ty, &b);
}

/* type_name's text, copied for a message that names two types (free it). */
static char *type_name_copy(Checker *c, u32 ty)
{
	const char *s = type_name(c, ty);
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

bool is_name(const Checker *c, u32 n)
{
	return n != NONE && (nd(c, n)->kind == N_SYM || nd(c, n)->kind == N_IDENT);
}

Ins *emit(Checker *c, u16 op, u32 n)
{
	vec_reserve(&c->u.code, 1);
	Ins *ins = &c->u.code.v[c->u.code.n++];
	memset(ins, 0, sizeof *ins);
	ins->op = op;
	ins->pos = nd(c, n)->pos;
	return ins;
}

/* ---- type rules ------------------------------------------------------------------ */

/* The type rule of a mnemonic lives in the instruction list (TR_*). */
static u32 rule_of(u32 op)
{
	return TR_OF(amd64_op(op)->flags);
}

static const Types *tys(const Checker *c) { return &c->p->types; }
static u8 kind_of(const Checker *c, u32 t) { return t == NONE ? TY_RAW : type_get(tys(c), t)->kind; }
static bool untyped(const Checker *c, const Operand *o) { return o->type == NONE || kind_of(c, o->type) == TY_RAW; }

bool value_fits(Checker *c, i64 v, bool unsig, u32 t)
{
	const Type *ty = type_get(tys(c), t);
	u32 bits = ty->size * 8;
	if (ty->kind == TY_BOOL)
		return v == 0 || v == 1;
	if (ty->kind == TY_UINT)
		return (unsig || v >= 0) && (bits == 64 || (u64)v < (1ull << bits));
	if (ty->kind == TY_INT)
		return bits == 64 ? !unsig || v >= 0 : v >= -(1ll << (bits - 1)) && v < (1ll << (bits - 1));
	if (ty->kind == TY_ARRAY || ty->kind == TY_OBJECT || ty->kind == TY_UNION)
		return false; /* no immediate is one */
	return bits == 64 || (v >= -(1ll << (bits - 1)) && v < (i64)(1ull << bits));
}

/* Does a register view of *size bytes hold a value of type t?  The 64-bit
 * name stands for the whole register: a narrower type then uses the view
 * of its own width ((rcx) with (u +8) is cl), and *size becomes that. */
bool reg_fits_type(Checker *c, u32 n, u32 family, u8 *size, u32 t)
{
	const Type *ty = type_get(tys(c), t);
	bool xmm = family >= XMM0;
	if (xmm && ty->kind == TY_FLOAT)
		return true;
	bool gpr_ok = !xmm && type_is_scalar(tys(c), t) && ty->kind != TY_FLOAT;
	if (gpr_ok && (ty->size == *size || *size == 8)) {
		*size = (u8)ty->size;
		return true;
	}
	if (!type_is_scalar(tys(c), t))
		err(c, n, "%s cannot live in a register; use (s)", type_name(c, t));
	else if (xmm || ty->kind == TY_FLOAT)
		err(c, n, "%s needs %s register", type_name(c, t), xmm ? "a general" : "an xmm");
	else
		err(c, n, "%s is %u bits wide but %s is %u; use the %u-bit register or the 64-bit name",
		    type_name(c, t), ty->size * 8, reg_str(family, *size), *size * 8, ty->size * 8);
	return false;
}

/* The register a location node names for a value of type t (NONE: not
 * checked), with *size the width of the view t uses; NONE after an error.
 * `what` is what the register would hold: "a variable", "a parameter". */
u32 reg_location(Checker *c, u32 loc, u32 t, u8 *size, const char *what)
{
	u32 family = reg_of_node(c, loc, size);
	if (family == NONE) {
		err(c, loc, "expected a register or (s)");
		return NONE;
	}
	if (family == RSP) {
		err(c, loc, "rsp cannot hold %s", what);
		return NONE;
	}
	if (t != NONE && !reg_fits_type(c, loc, family, size, t))
		return NONE;
	return family;
}

static bool imm_fits_type(Checker *c, const Operand *imm, const Operand *dst)
{
	if (untyped(c, dst))
		return true; /* the form decides, as for any raw register */
	const Type *ty = type_get(tys(c), dst->type);
	if (ty->kind == TY_FLOAT) {
		err(c, imm->node, "an immediate cannot be a float; load it from memory");
		return false;
	}
	bool unsig = nd(c, imm->node)->kind == N_UINT;
	if (type_is_address(tys(c), dst->type) && imm->o.imm != 0 && !(imm->o.flags & OF_SSIZE)) {
		err(c, imm->node, "an immediate pointer must be +0; use (cast ...) for an address");
		return false;
	}
	if (!(imm->o.flags & OF_SSIZE) && !value_fits(c, imm->o.imm, unsig, dst->type)) {
		err(c, imm->node, "%lld does not fit in %s", (long long)imm->o.imm, type_name(c, dst->type));
		return false;
	}
	return true;
}

/* Two operands that must hold the same type: equal types, or an untyped
 * register or memory of the same width, or an immediate that fits.  The
 * message names `what`, or when it is NULL the instruction op, whose name
 * is looked up only then (looked up for every instruction, it cost a load
 * from the interner each time). */
static bool agree(Checker *c, u32 n, const Operand *dst, const Operand *src, const char *what, u32 op)
{
	if (src->what == W_IMM)
		return imm_fits_type(c, src, dst);
	if (untyped(c, dst) || untyped(c, src) || dst->type == src->type)
		return true;
	char *a = type_name_copy(c, dst->type);
	err(c, n, "%s: types differ: %s and %s", what ? what : name_of(c, op), a, type_name(c, src->type));
	free(a);
	return false;
}

bool types_agree(Checker *c, u32 n, const Operand *dst, const Operand *src, const char *what)
{
	return agree(c, n, dst, src, what, NONE);
}

static bool int_like(const Checker *c, const Operand *o, bool bool_ok)
{
	u8 k = kind_of(c, o->type);
	return o->what == W_IMM || k == TY_RAW || k == TY_INT || k == TY_UINT || (bool_ok && k == TY_BOOL);
}

/* Integer operands (and bools when bool_ok); else an error at the first
 * that is not one. */
static bool all_int(Checker *c, u32 op, const Operand *ops, u32 nops, bool bool_ok)
{
	for (u32 i = 0; i < nops; i++)
		if (!int_like(c, &ops[i], bool_ok)) {
			err(c, ops[i].node, "%s needs integers, not %s", name_of(c, op), type_name(c, ops[i].type));
			return false;
		}
	return true;
}

static bool rule_arith(Checker *c, u32 n, u32 op, Operand *ops, u32 nops)
{
	u8 k = kind_of(c, ops[0].type);
	if (k == TY_PTR) {
		err(c, ops[0].node, "%s: no arithmetic on %s; only an aptr may be moved", name_of(c, op),
		    type_name(c, ops[0].type));
		return false;
	}
	if (k == TY_APTR && nops == 2 && int_like(c, &ops[1], false))
		return true; /* an aptr moves by bytes over its array */
	return all_int(c, op, ops, nops, false) && (nops < 2 || agree(c, n, &ops[0], &ops[1], NULL, op));
}

/* A count operand (shifts and rotates) is not typed like the value. */
static bool has_count(u32 op)
{
	u32 end, f = amd64_forms_of(op, &end);
	for (; f < end; f++)
		if (amd64_forms[f].cls[1] == C_CL)
			return true;
	return false;
}

static bool rule_int(Checker *c, u32 n, u32 op, Operand *ops, u32 nops, bool bool_ok)
{
	if (!all_int(c, op, ops, nops, bool_ok))
		return false;
	if (nops < 2 || has_count(op))
		return true;
	if (ops[nops - 1].what == W_IMM)
		return ops[1].what != W_IMM || imm_fits_type(c, &ops[1], &ops[0]);
	return agree(c, n, &ops[0], &ops[1], NULL, op);
}

/* The precision of an SSE instruction, in bytes, from its mandatory
 * prefix: F2 (sd) and 66 (pd) are double, F3 (ss) and none (ps) single. */
static u32 float_bytes(u32 op)
{
	return amd64_op(op)->flags & (F_PF2 | F_P66) ? 8 : 4;
}

/* Is operand o a float of `bytes` (0: of either precision), or untyped? */
static bool float_like(const Checker *c, const Operand *o, u32 bytes)
{
	if (untyped(c, o))
		return true;
	const Type *t = type_get(tys(c), o->type);
	return t->kind == TY_FLOAT && (bytes == 0 || t->size == bytes);
}

static bool float_operand(Checker *c, u32 op, const Operand *o, u32 bytes)
{
	if (float_like(c, o, bytes))
		return true;
	if (bytes)
		err(c, o->node, "%s needs (f +%u) operands, not %s", name_of(c, op), bytes * 8, type_name(c, o->type));
	else
		err(c, o->node, "%s needs float operands, not %s", name_of(c, op), type_name(c, o->type));
	return false;
}

static bool rule_float(Checker *c, u32 op, const Operand *ops, u32 nops, u32 bytes)
{
	for (u32 i = 0; i < nops; i++)
		if (!float_operand(c, op, &ops[i], bytes))
			return false;
	return true;
}

static bool int_operand(Checker *c, u32 op, const Operand *o)
{
	if (int_like(c, o, false))
		return true;
	err(c, o->node, "%s needs an integer here, not %s", name_of(c, op), type_name(c, o->type));
	return false;
}

/* cvtsi2sd and the other conversions: which operand is the float of the
 * instruction's precision, which the integer or the other float. */
static bool rule_convert(Checker *c, u32 op, const Operand *ops, u32 nops)
{
	u32 bytes = float_bytes(op);
	if (nops < 2)
		return true;
	switch (rule_of(op)) {
	case TR_I2F: return float_operand(c, op, &ops[0], bytes) && int_operand(c, op, &ops[1]);
	case TR_F2I: return int_operand(c, op, &ops[0]) && float_operand(c, op, &ops[1], bytes);
	default: /* F2F: the destination has the other precision */
		return float_operand(c, op, &ops[0], bytes == 8 ? 4 : 8) && float_operand(c, op, &ops[1], bytes);
	}
}

static bool rule_setcc(Checker *c, u32 op, Operand *dst)
{
	u8 k = kind_of(c, dst->type);
	u32 size = dst->type == NONE ? 1 : type_get(tys(c), dst->type)->size;
	if ((k == TY_BOOL || k == TY_INT || k == TY_UINT || k == TY_RAW) && size == 1)
		return true;
	err(c, dst->node, "%s writes a bool or an 8-bit integer, not %s", name_of(c, op), type_name(c, dst->type));
	return false;
}

/* May a proc with signature `have` be called through a proc type with
 * signature `want`?  The same parameters and results in the same places,
 * and no clobbers beyond the type's. */
static bool sig_fits(const Program *p, const Sig *want, const Sig *have)
{
	if (want->nparams != have->nparams || want->nresults != have->nresults ||
	    (have->clobbers & ~want->clobbers))
		return false;
	for (u32 i = 0; i < want->nparams + want->nresults; i++) {
		const Param *a = sig_param(p, want, i), *b = sig_param(p, have, i);
		if (a->reg != b->reg || a->size != b->size || a->type != b->type || a->offset != b->offset)
			return false;
	}
	return true;
}

static bool proc_fits(Checker *c, u32 n, u32 want, u32 have)
{
	u32 ws = type_get(tys(c), want)->first, hs = type_get(tys(c), have)->first;
	if (ws == NONE || hs == NONE || sig_fits(c->p, &c->p->sigs.v[ws], &c->p->sigs.v[hs]))
		return true;
	err(c, n, "lea: the proc's parameters, results or clobbers do not fit %s", type_name(c, want));
	return false;
}

static bool rule_lea(Checker *c, u32 n, Operand *ops)
{
	const Type *d = type_get(tys(c), ops[0].type == NONE ? T_RAW8 : ops[0].type);
	u32 pointee = ops[1].type;
	if (d->kind == TY_RAW || pointee == NONE)
		return true;
	const Type *pt = type_get(tys(c), pointee);
	if (d->kind == TY_PROC && pt->kind == TY_PROC)
		return proc_fits(c, n, ops[0].type, pointee);
	bool ok = (d->kind == TY_PTR || d->kind == TY_APTR) &&
		  (d->elem == pointee || (d->kind == TY_APTR && pt->kind == TY_ARRAY && pt->elem == d->elem));
	if (!ok) {
		char *a = type_name_copy(c, ops[0].type);
		err(c, n, "lea: %s cannot hold the address of %s", a, type_name(c, pointee));
		free(a);
	}
	return ok;
}

static bool check_types(Checker *c, u32 n, u32 op, Operand *ops, u32 nops)
{
	if (nops == 0)
		return true; /* nothing to type; the forms report the missing operands */
	switch (rule_of(op)) {
	case TR_MOVE:
	case TR_CMP:
		return nops < 2 || agree(c, n, &ops[0], &ops[1], NULL, op);
	case TR_EXTEND: /* movzx/movsx: the sign is the programmer's choice of instruction */
		return all_int(c, op, ops, nops, true);
	case TR_ARITH: return rule_arith(c, n, op, ops, nops);
	case TR_INT: return rule_int(c, n, op, ops, nops, false);
	case TR_LOGIC: return rule_int(c, n, op, ops, nops, true);
	case TR_SETCC: return nops < 1 || rule_setcc(c, op, &ops[0]);
	case TR_FLOAT: return rule_float(c, op, ops, nops, float_bytes(op));
	case TR_FBITS: return rule_float(c, op, ops, nops, 0);
	case TR_I2F:
	case TR_F2I:
	case TR_F2F: return rule_convert(c, op, ops, nops);
	case TR_LEA: return nops < 2 || rule_lea(c, n, ops);
	default: return true;
	}
}

/* ---- forms ------------------------------------------------------------------------------ */

/* Says why no form of `op` takes these operands, at the operand at fault;
 * the target knows the forms (amd64_explain). */
static void explain_mismatch(Checker *c, u32 n, u32 op, const Operand *ops, u32 nops, MatchFail why)
{
	Opnd o[3];
	for (u32 i = 0; i < nops; i++)
		o[i] = ops[i].o;
	Buf msg = {0};
	u32 at = amd64_explain(op, name_of(c, op), o, nops, why, &msg);
	err(c, at == NONE ? n : ops[at].node, "%.*s", (int)msg.n, (const char *)msg.p);
	buf_free(&msg);
}

/* The form for operands o, the instruction's own copy, which it completes:
 * an unsized memory operand gets the form's size.  ops explain a mismatch. */
static u32 match_form(Checker *c, u32 n, u32 op, Opnd *o, const Operand *ops, u32 nops)
{
	MatchFail why;
	u32 form = amd64_match(op, o, nops, &why);
	if (form == NONE)
		explain_mismatch(c, n, op, ops, nops, why);
	return form;
}

/* lock is only valid on the forms that modify a memory destination. */
static bool check_lock(Checker *c, u32 n, u32 op, const Opnd *o, u32 nops, u32 form)
{
	if (!amd64_lockable(&amd64_forms[form], o, nops)) {
		err(c, n, "lock needs an instruction that modifies memory; %s with these operands "
			  "does not", name_of(c, op));
		return false;
	}
	return true;
}

/* ---- effects --------------------------------------------------------------------------- */

static bool reads_operand(const Form *f, u32 i)
{
	return i == 0 ? (f->flags & F_R0) != 0 : f->cls[i] != C_NO;
}

static bool writes_operand(const Form *f, u32 i)
{
	return (i == 0 && (f->flags & F_W0)) || (i == 1 && (f->flags & F_W1));
}

static void apply_reads(Checker *c, const Form *f, const Operand *ops, u32 nops)
{
	for (u32 i = 0; i < nops; i++)
		if (ops[i].var != NONE && ops[i].what == W_REG && reads_operand(f, i))
			use_var(c, ops[i].node, ops[i].var);
	for (u32 m = f->uses; m; m &= m - 1)
		read_family(c, ops[0].node, (u32)__builtin_ctz(m));
}

static void apply_writes(Checker *c, u32 n, const Form *f, const Operand *ops, u32 nops)
{
	u32 explicit_regs = 0;
	for (u32 i = 0; i < nops; i++) {
		if (!writes_operand(f, i) || ops[i].what != W_REG)
			continue;
		if (ops[i].var != NONE)
			write_var(c, ops[i].var);
		if (ops[i].o.reg != RSP)
			write_family(c, ops[i].node, ops[i].o.reg, NONE, true);
		explicit_regs |= 1u << ops[i].o.reg;
	}
	for (u32 m = f->defs & ~explicit_regs & ~(1u << RSP); m; m &= m - 1)
		write_family(c, n, (u32)__builtin_ctz(m), NONE, false);
}

/* The checked instruction, with resolved operands: type rules, the form,
 * liveness and contract effects, then the MIR. */
static bool finish_ins(Checker *c, u32 n, u32 op, Operand *ops, u32 nops, u8 flags, bool elide)
{
	if (!check_types(c, n, op, ops, nops))
		return false;
	vec_reserve(&c->u.code, 1);
	Ins *ins = &c->u.code.v[c->u.code.n]; /* built in place; kept unless elided */
	for (u32 i = 0; i < 3; i++)
		ins->o[i] = i < nops ? ops[i].o : (Opnd){0};
	u32 form = match_form(c, n, op, ins->o, ops, nops);
	if (form == NONE)
		return false;
	ins->op = (u16)op; /* field by field: zeroing the whole Ins first costs more */
	ins->form = (u16)form;
	ins->nopnd = (u8)nops;
	ins->flags = flags;
	ins->pos = nd(c, n)->pos;
	if ((flags & IF_LOCK) && !check_lock(c, n, op, ins->o, nops, form))
		return false;
	const Form *f = &amd64_forms[form];
	apply_reads(c, f, ops, nops);
	apply_writes(c, n, f, ops, nops); /* before a pop's restore is recorded */
	if (c->u.flow.reachable)
		rsp_effect(c, n, ins);
	flags_apply(c, n, ins);
	c->u.seq++;
	if (elide)
		return true;
	if ((ins->o[0].flags | ins->o[1].flags | ins->o[2].flags) & OF_SSIZE)
		vec_push(&c->u.ssize_ins, c->u.code.n);
	c->u.code.n++;
	return true;
}

void emit_ins(Checker *c, u32 n, u16 op, const Opnd *o, u32 nops, u8 flags)
{
	Operand ops[3];
	for (u32 i = 0; i < nops; i++)
		ops[i] = (Operand){.o = o[i], .what = o[i].kind == OK_REG ? W_REG : o[i].kind == OK_IMM ? W_IMM
							       : o[i].kind == OK_MEM ? W_MEM : W_PROC,
				   .node = n, .type = NONE, .var = NONE};
	finish_ins(c, n, op, ops, nops, flags, false);
}

bool check_move(Checker *c, u32 n, u16 op, Operand *dst, Operand *src)
{
	Operand ops[2] = {*dst, *src};
	bool same = dst->what == W_REG && src->what == W_REG && dst->o.reg == src->o.reg &&
		    dst->o.size == src->o.size;
	if (src->var != NONE && src->what == W_REG)
		use_var(c, src->node, src->var);
	return finish_ins(c, n, op, ops, 2, 0, same);
}

/* ---- instructions ------------------------------------------------------------------------ */

/* The encoder computes a tvar's address as mov dst, fs:0 then lea dst,
 * [dst + index + tpoff] (lea cannot add fs), so the index must survive
 * the mov. */
static bool tls_lea_ok(Checker *c, const Operand *ops)
{
	const Opnd *m = &ops[1].o;
	if (!(m->flags & OF_FS) || m->index == NOREG || ops[0].what != W_REG || ops[0].o.reg != m->index)
		return true;
	err(c, ops[1].node, "the index of a thread-local address cannot be lea's destination: lea "
			    "of a tvar is mov %s, fs:0 then lea, which would overwrite the index first; "
			    "use another destination register", reg_str(m->index, 8));
	return false;
}

static bool gather_operands(Checker *c, u32 n, u32 op, Operand *ops, u32 *nops)
{
	bool ok = true, branch = amd64_op(op)->branch;
	*nops = 0;
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		if (*nops == 3) {
			err(c, k, "%s takes at most 3 operands", name_of(c, op));
			return false;
		}
		Operand *o = &ops[(*nops)++];
		if (op == TAG_lea && *nops == 2)
			ok &= address(c, k, o);
		else
			ok &= operand(c, k, o, branch);
	}
	for (u32 i = 0; ok && i < *nops; i++) {
		if (ops[i].what == W_DATA && op != TAG_lea) {
			const char *g = name_of(c, nd(c, ops[i].node)->val);
			err(c, ops[i].node, "%s is an address: take it with (lea ...) or load with (mem %s)", g, g);
			return false;
		}
	}
	return ok && (op != TAG_lea || *nops != 2 || tls_lea_ok(c, ops));
}

/* Jumps and calls change where control goes; the flow follows. */
static void control_effect(Checker *c, u32 n, u32 op, const Operand *ops, u32 nops)
{
	u32 flags = amd64_op(op)->flags;
	if (nops >= 1 && ops[0].what == W_LABEL && (flags & (F_JUMP | F_CALL)))
		jump_edge(c, n, ops[0].o.sym);
	if (op == TAG_ret)
		check_ret(c, n);
	if ((flags & F_CALL) && nops >= 1 && ops[0].what != W_LABEL) {
		for (u32 r = 0; r < NFAMILY; r++) /* an unchecked call may change anything */
			if (r != RSP)
				clobber_family(c, r, nd(c, n)->pos, NONE, (u16)op);
	}
	if (flags & F_CALL)
		flags_call(c, nd(c, n)->pos, NONE);
	if ((flags & F_END) && nops <= 1)
		unreachable(c);
}

void check_ins(Checker *c, u32 n, u8 flags)
{
	u32 op = nd(c, n)->tag;
	Operand ops[3];
	u32 nops;
	if (!gather_operands(c, n, op, ops, &nops))
		return;
	if (!finish_ins(c, n, op, ops, nops, flags, false))
		return;
	control_effect(c, n, op, ops, nops);
}

/* ---- variables --------------------------------------------------------------------------- */

static bool var_location(Checker *c, u32 loc, u32 tn, u32 t, Var *v)
{
	if (is_tree(c, loc, TAG_s)) {
		if (!type_size_ok(c, tn, t)) /* lays out an array type first written here */
			return false;
		const Type *ty = type_get(tys(c), t);
		u64 end = align_up(c->u.frame_used, MAX(ty->align, 1)) + ty->size;
		if (end > FRAME_MAX) {
			err(c, loc, "the stack frame would take %llu bytes; a frame holds at most %u",
			    (unsigned long long)end, FRAME_MAX);
			return false;
		}
		v->loc = LOC_STACK;
		v->offset = (u32)(end - ty->size);
		c->u.frame_used = (u32)end;
		c->u.frame_max = MAX(c->u.frame_max, c->u.frame_used);
		return true;
	}
	u8 size;
	u32 family = reg_location(c, loc, t, &size, "a variable");
	if (family == NONE)
		return false;
	u32 owner = c->u.flow.owner[family];
	if (owner != NONE && c->u.flow.reachable) {
		err(c, loc, "%s already holds %s", reg_str(family, 8), name_of(c, c->u.vars.v[owner].name));
		return false;
	}
	v->loc = LOC_REG;
	v->reg = (u8)family;
	v->size = family >= XMM0 ? 16 : size;
	return true;
}

/* (var :x.0 LOCATION TYPE [INIT]) */
static void stmt_var(Checker *c, u32 n)
{
	u32 name = kid(c, n, 0), loc = kid(c, n, 1), tn = kid(c, n, 2), init = kid(c, n, 3);
	if (name == NONE || loc == NONE || tn == NONE || nd(c, name)->kind != N_SYMDEF ||
	    (init != NONE && kid(c, n, 4) != NONE)) {
		err(c, n, "expected (var :name.0 LOCATION TYPE [INIT])");
		return;
	}
	u32 t = parse_type(c, tn);
	if (t == NONE)
		return;
	Var v = {.name = nd(c, name)->val, .kind = V_VAR, .type = t, .pos = nd(c, n)->pos,
		 .label = NONE, .tested = NONE};
	if (!var_location(c, loc, tn, t, &v))
		return;
	u32 id = var_new(c, v, v.loc == LOC_REG ? VS_UNINIT : VS_LIVE);
	if (init == NONE)
		return;
	Operand dst = {.node = name}, src;
	if (var_as_operand(c, name, id, &dst) && operand(c, init, &src, false))
		check_move(c, n, TAG_mov, &dst, &src);
}

/* (kill x.0 ...) */
static void stmt_kill(Checker *c, u32 n)
{
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		u32 v = is_name(c, k) ? var_lookup(c, nd(c, k)->val) : NONE;
		if (v == NONE || c->u.vars.v[v].kind == V_CFVAR) {
			err(c, k, "kill takes variables");
			continue;
		}
		if (var_state(c, v)->st == VS_KILLED && c->u.flow.reachable) {
			err(c, k, "%s is already dead", name_of(c, c->u.vars.v[v].name));
			continue;
		}
		var_end(c, v, nd(c, k)->pos);
	}
}

/* ---- statements ---------------------------------------------------------------------------- */

typedef void (*StmtFn)(Checker *c, u32 n);

/* A block's statements, one at a time: the children of a node in the
 * tree, or a proc's body as the reader reads it.  A proc is read a
 * statement at a time (stream_proc): the tree holds its header and one
 * statement, read over the one before, so the nodes are still in the
 * first-level cache when they are checked (reading the whole proc first,
 * about 10 KB of nodes at 10^5, left a quarter of the checker's cache
 * misses on them).  With -d t, which prints each top-level node whole, a
 * proc is read whole and its body's statements are in the tree. */
typedef struct BodyStmts {
	bool streamed;
	u32 next, end;    /* whole: the next statement, and past the last */
	u32 nodes, infos; /* streamed: the tree's size before each statement */
} BodyStmts;

/* The next statement, or NONE at the body's end or after a syntax error. */
static u32 next_stmt(Checker *c, BodyStmts *s)
{
	if (s->streamed) {
		c->tree.nodes.n = s->nodes;
		c->tree.infos.n = s->infos;
		return read_node(&c->rd);
	}
	if (s->next >= s->end)
		return NONE;
	u32 k = s->next;
	s->next = node_next(&c->tree, k);
	return k;
}

/* A block of statements: a (stmts ...) or a proc's body. */
static void stmts_block(Checker *c, BodyStmts *s)
{
	u32 mark;
	block_open(c, &mark);
	for (u32 k; (k = next_stmt(c, s)) != NONE;)
		stmt(c, k);
	block_close(c, mark);
}

void block_here(Checker *c, u32 n)
{
	BodyStmts s = {.next = n + 1, .end = node_end(&c->tree, n)};
	stmts_block(c, &s);
}

/* Each level of nesting is a few frames of recursion (STACK_BYTES holds
 * NEST_MAX of the largest); past the limit, the block at n is left
 * unchecked, and said once per unit: its siblings are as deep. */
bool nest_enter(Checker *c, u32 n, u32 *depth, const char *what)
{
	if (*depth < NEST_MAX) {
		++*depth;
		return true;
	}
	err(c, n, "%s nest deeper than %u levels", what, NEST_MAX);
	return false;
}

bool nest_stmts(Checker *c, u32 n)
{
	if (c->stmt_depth == NEST_MAX && c->u.too_deep)
		return false;
	c->u.too_deep |= c->stmt_depth == NEST_MAX;
	return nest_enter(c, n, &c->stmt_depth, "statements");
}

void block(Checker *c, u32 n)
{
	if (!nest_stmts(c, n))
		return;
	block_here(c, n);
	unnest_stmts(c);
}

static void stmt_lock(Checker *c, u32 n)
{
	u32 k = kid(c, n, 0);
	if (k == NONE || kid(c, n, 1) != NONE || nd(c, k)->kind != N_TREE || !IS_OP_TAG(nd(c, k)->tag)) {
		err(c, n, "lock takes one instruction: (lock (add (mem ...) (rax)))");
		return;
	}
	check_ins(c, k, IF_LOCK);
}

static void stmt_decl(Checker *c, u32 n)
{
	err(c, n, "(%s ...) is a declaration; declarations belong at the top level", tag_name(c, n));
}

static const StmtFn stmt_fns[TAG__COUNT] = {
	[TAG_lab] = stmt_lab,     [TAG_stmts] = block,      [TAG_lock] = stmt_lock,
	[TAG_var] = stmt_var,     [TAG_kill] = stmt_kill,   [TAG_ite] = stmt_ite,
	[TAG_loop] = stmt_loop,   [TAG_cfvar] = stmt_cfvar, [TAG_jtrue] = stmt_jtrue,
	[TAG_call] = check_call,  [TAG_proc] = stmt_decl,   [TAG_type] = stmt_decl,
	[TAG_rodata] = stmt_decl, [TAG_gvar] = stmt_decl,   [TAG_tvar] = stmt_decl,
};

void stmt(Checker *c, u32 n)
{
	const Node *x = nd(c, n);
	if (x->kind != N_TREE) {
		err(c, n, "expected an instruction or a declaration");
		return;
	}
	if (x->tag == TAG_UNKNOWN) {
		err(c, n, "unknown tag '%s'", tag_name(c, n));
		return;
	}
	if (stmt_fns[x->tag])
		stmt_fns[x->tag](c, n);
	else if (IS_OP_TAG(x->tag))
		check_ins(c, n, 0);
	else
		err(c, n, "(%s ...) is not a statement", tag_name(c, n));
}

/* ---- units ------------------------------------------------------------------------------- */

/* Makes a unit ready for new code, keeping its buffers. */
static void unit_init(Unit *u, u32 proc)
{
	edges_reset(u);
	for (u32 i = 0; i < u->vars.n; i++) /* only var_new sets an entry */
		u->var_of_name.v[u->vars.v[i].name] = NONE;
	u->code.n = u->ssize_ins.n = u->structured.n = u->vars.n = u->block_vars.n = 0;
	u->loops.n = u->edge_vars.n = 0;
	flow_free(u, &u->flow);
	flow_init(&u->flow);
	vs_drop(u, &u->undeclared); /* its variables were another unit's */
	u->proc = proc;
	u->allowed = ~0u;
	u->too_deep = false;
	u->next_label = u->frame_used = u->frame_max = u->seq = u->marks = 0;
}

static void unit_free(Unit *u)
{
	vec_free(&u->code);
	vec_free(&u->ssize_ins);
	vec_free(&u->structured);
	free_label_scope(u, &u->labels);
	vec_free(&u->vars);
	vec_free(&u->var_of_name);
	vec_free(&u->block_vars);
	flow_free(u, &u->flow);
	for (u32 i = 0; i < u->loops_made; i++)
		vec_free(&u->loops.v[i].exposed);
	vec_free(&u->loops);
	vec_free(&u->dead_reads);
	edges_reset(u);
	vec_free(&u->edges);
	vec_free(&u->edges_to);
	vec_free(&u->edge_vars);
	vec_free(&u->changes);
	vs_drop(u, &u->undeclared);
	vs_free_nodes(u);
}

/* The frame size is known once the whole unit is checked.  Only the
 * instructions finish_ins recorded hold (ssize) operands: a pass over all
 * the code was 1.4% of the benchmark's instructions. */
static void patch_ssize(Checker *c)
{
	u32 ssize = align_up(c->u.frame_max, 16);
	for (u32 j = 0; j < c->u.ssize_ins.n; j++) {
		Ins *ins = &c->u.code.v[c->u.ssize_ins.v[j]];
		for (u32 k = 0; k < ins->nopnd; k++) {
			Opnd *o = &ins->o[k];
			if (!(o->flags & OF_SSIZE))
				continue;
			o->imm += ssize;
			if (o->kind == OK_IMM) {
				MatchFail why;
				u32 f = amd64_match(ins->op, ins->o, ins->nopnd, &why);
				ASSERT(f != NONE);
				ins->form = (u16)f;
			}
		}
	}
}

static void finish_unit(Checker *c, u32 global)
{
	cflow_end_proc(c);
	end_label_scope(c, &c->u.labels);
	if (diag_error_count)
		return;
	patch_ssize(c);
	if (c->p->dump & DUMP_CHECK)
		dump_mir(c->p, "after check", &c->u.code);
	lower(&c->u.code, &c->u.structured, c->t);
	if (c->p->dump & DUMP_LOWER)
		dump_mir(c->p, "after lowering", &c->u.code);
	c->p->globals.v[global].chunk = c->t->encode(c->p, &c->u.code, global, c->file);
}

static void bind_params(Checker *c, const Sig *s)
{
	for (u32 i = 0; i < s->nparams; i++) {
		const Param *pr = sig_param(c->p, s, i);
		Var v = {.name = pr->name, .kind = V_PARAM, .type = pr->type, .pos = pr->pos,
			 .label = NONE, .tested = NONE};
		v.loc = pr->reg == NOREG ? LOC_ARG : LOC_REG;
		v.reg = pr->reg;
		v.size = pr->reg >= XMM0 && pr->reg != NOREG ? 16 : pr->size;
		v.offset = pr->offset;
		var_new(c, v, VS_LIVE);
		if (pr->reg != NOREG)
			c->u.flow.set |= 1u << pr->reg;
	}
	c->u.allowed = s->clobbers;
	for (u32 i = 0; i < s->nresults; i++)
		c->u.allowed |= 1u << sig_param(c->p, s, s->nparams + i)->reg;
}

static bool is_body(const Checker *c, u32 n) { return is_tree(c, n, TAG_body) || is_tree(c, n, TAG_stmts); }

/* The first (body ...) of a proc read whole, or NONE. */
static u32 proc_body(Checker *c, u32 n)
{
	u32 name = kid(c, n, 0);
	if (name == NONE)
		return NONE;
	for (u32 k = node_next(&c->tree, name); k < node_end(&c->tree, n); k = node_next(&c->tree, k))
		if (is_body(c, k))
			return k;
	return NONE;
}

/* Checks proc n (its header in the tree) and its body's statements. */
static void code_proc(Checker *c, u32 n, u32 body, BodyStmts *s)
{
	u32 name = kid(c, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF)
		return; /* reported by the declaration pass */
	u32 g = global_lookup(c->p, global_key(c->p, nd(c, name)->val, c->file));
	if (body == NONE)
		err(c, n, "proc %s has no (body ...)", tag_name(c, name));
	if (body == NONE || c->p->globals.v[g].decl == NONE)
		return;
	Unit top = c->u;
	c->u = c->other;
	unit_init(&c->u, g);
	bind_params(c, proc_sig(c->p, g));
	stmts_block(c, s);
	if (!c->rd.failed) { /* else the rest of the body is unread: nothing to say of its end */
		if (c->u.flow.reachable)
			err(c, n, "%s can reach the end of its body; end every path with (ret) or a jump",
			    name_of(c, nd(c, name)->val));
		finish_unit(c, g);
	}
	c->other = c->u;
	c->u = top;
}

/* ---- the code pass -------------------------------------------------------------------------- */

static void code_node(Checker *c, u32 n)
{
	u16 tag = nd(c, n)->kind == N_TREE ? nd(c, n)->tag : TAG_UNKNOWN;
	if (tag == TAG_proc) {
		u32 body = proc_body(c, n);
		BodyStmts s = {.next = body + 1, .end = body == NONE ? 0 : node_end(&c->tree, body)};
		code_proc(c, n, body, &s);
	} else if (!is_decl_tag(tag)) {
		stmt(c, n);
	}
}

/* Reads the rest of the open list a statement at a time. */
static void skip_stmts(Checker *c, BodyStmts *s)
{
	while (next_stmt(c, s) != NONE)
		;
}

/* Reads and checks the proc at the reader a statement at a time (see
 * BodyStmts); false after a syntax error. */
static bool stream_proc(Checker *c)
{
	u32 tag, n = read_proc_header(c, &tag);
	if (n == NONE)
		return false;
	u32 body = tag == NONE || kid(c, n, 0) == NONE ? NONE : read_open(&c->rd);
	if (c->rd.failed)
		return false;
	BodyStmts s = {.streamed = true, .nodes = c->tree.nodes.n, .infos = c->tree.infos.n};
	code_proc(c, n, body, &s);
	skip_stmts(c, &s); /* what code_proc left unread */
	if (body != NONE && read_close(&c->rd))
		skip_stmts(c, &s); /* the proc's children after the body */
	return !c->rd.failed && read_close(&c->rd);
}

static bool open_module(Checker *c)
{
	reader_init(&c->rd, c->src, &c->p->names, &c->tree, file_module(c->p, c->file));
	tree_clear(&c->tree);
	u32 root = read_open(&c->rd);
	if (root == NONE) {
		if (!c->rd.failed)
			error_at(c->src, (u32)(c->rd.cur - c->src->text),
				 "expected (stmts ...) at the top of the module");
		return false;
	}
	if (c->file == 0)
		c->p->module_pos = nd(c, root)->pos;
	if (nd(c, root)->tag != TAG_stmts) {
		err(c, root, "a module is one (stmts ...) node, not (%s ...)", tag_name(c, root));
		return false;
	}
	return true;
}

static bool close_module(Checker *c)
{
	if (!read_close(&c->rd))
		return false;
	if (!read_at_eof(&c->rd)) {
		if (!c->rd.failed)
			error_at(c->src, (u32)(c->rd.cur - c->src->text),
				 "unexpected text after the module's (stmts ...)");
		return false;
	}
	return true;
}

static void dump_node(Checker *c, u32 n)
{
	Buf b = {0};
	dump_tree(&c->tree, &c->p->names, c->src->text, n, &b);
	buf_write(&b, stderr);
	buf_free(&b);
}

static void finish_entry(Checker *c)
{
	Program *p = c->p;
	u32 name = intern(&p->names, "_start", 6);
	p->entry = global_get(p, name, name, c->file, 0);
	p->globals.v[p->entry].kind = G_ENTRY;
	p->globals.v[p->entry].defined = true;
	finish_unit(c, p->entry);
}

/* Checks top-level nodes until one starts at or after `stop`; false at
 * the end of the module's list or a syntax error. */
static bool check_nodes(Checker *c, u32 stop)
{
	while (read_node_start(&c->rd) < stop) {
		tree_clear(&c->tree);
		if (!(c->p->dump & DUMP_TREE) && read_peek_tag(&c->rd) == TAG_proc) {
			if (!stream_proc(c))
				return false;
			continue;
		}
		u32 n = read_node(&c->rd);
		if (n == NONE)
			return false;
		if (c->p->dump & DUMP_TREE)
			dump_node(c, n);
		code_node(c, n);
	}
	return true;
}

/* A worker process (jobs.c) checks the ranges it takes and sends each
 * one's result; a syntax error ends the reading, there as here. */
static _Noreturn void run_worker(Checker *c, Jobs *j)
{
	worker_begin(c->p, j);
	for (u32 r; !c->rd.failed && (r = worker_next(j)) != NONE;) {
		c->rd.cur = c->src->text + jobs_start(j, r);
		check_nodes(c, jobs_start(j, r + 1));
		worker_send(c->p, (u32)(c->rd.cur - c->src->text), c->rd.failed);
	}
	worker_exit();
}

/* Range r, checked here when this process takes it, else the worker's
 * result, or here after all when the worker gave it back; false when the
 * reading ends (the module's end, a syntax error). */
static bool check_range(Checker *c, Jobs *j, u32 r)
{
	if (!jobs_take(j, r)) {
		Joined got = jobs_join(c->p, c->file, j, r);
		if (got.status == JOIN_DONE) {
			c->rd.cur = c->src->text + got.end;
			c->rd.failed = got.failed;
			return !got.failed;
		}
	}
	bool more = check_nodes(c, jobs_start(j, r + 1));
	jobs_prepare(c->p, j, r + 1);
	return more;
}

/* The module's nodes: the head, then the ranges in file order.  The
 * reading ends normally in the last range, at the module's ')'. */
static void check_module(Checker *c, Jobs *j)
{
	u32 r = 0;
	if (check_nodes(c, jobs_start(j, 0)))
		while (r < j->starts.n && check_range(c, j, r))
			r++;
	jobs_end(c->p, j, !c->rd.failed && r + 1 >= j->starts.n);
}

bool check_code(Program *p, u32 file, const Target *t, bool is_entry_file)
{
	Checker c;
	memset(&c, 0, sizeof c);
	c.p = p;
	c.t = t;
	c.file = file;
	c.src = p->files.v[file];
	unit_init(&c.u, NONE);
	unit_init(&c.other, NONE);
	bool ok = open_module(&c);
	if (ok) {
		Jobs j;
		if (jobs_fork(p, file, &j) != NONE)
			run_worker(&c, &j);
		check_module(&c, &j);
	}
	ok = ok && !c.rd.failed && close_module(&c);
	block_close(&c, 0); /* the module's top-level block */
	if (ok && is_entry_file && c.u.code.n)
		finish_entry(&c);
	else if (c.u.code.n && !is_entry_file)
		err_at(&c, 0, "only the first file's top-level instructions run; this file has some");
	reader_free(&c.rd);
	tree_free(&c.tree);
	unit_free(&c.u);
	unit_free(&c.other);
	return ok;
}
