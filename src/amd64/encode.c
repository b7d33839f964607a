/* encode.c - x86-64 machine code from lowered MIR.
 *
 * Forms come from AMD64_OPS (amd64.h).  The checker picks a form for every
 * instruction with amd64_match; this file turns (form, operands) into
 * bytes: legacy prefixes, REX, opcode, ModRM, SIB, displacement, immediate.
 * Jumps to labels are relaxed the way GNU as does it: every jump starts
 * short and grows to its near form until all displacements fit.
 */
#include "../nifasm.h"
#include "amd64int.h"

#include <stdlib.h>

const Form amd64_forms[] = {
#define OP(name, o1, o2, o3, opc, opc2, enc, ext, fl, uses, defs) \
	{TAG_##name, {C_##o1, C_##o2, C_##o3}, enc, ext, opc, opc2, fl, uses, defs},
#define ALT OP
	AMD64_OPS
#undef OP
#undef ALT
};
const u32 amd64_nforms = COUNTOF(amd64_forms);

static u16 first_form[TAG__COUNT - TAG_FIRST_OP + 1];

static void init_form_index(void)
{
	static bool done;
	if (done)
		return;
	u32 nops = TAG__COUNT - TAG_FIRST_OP;
	for (u32 i = 0; i <= nops; i++)
		first_form[i] = (u16)amd64_nforms;
	for (u32 f = amd64_nforms; f-- > 0;)
		first_form[amd64_forms[f].op - TAG_FIRST_OP] = (u16)f;
	done = true;
}

u32 amd64_forms_of(u32 op, u32 *end)
{
	init_form_index();
	u32 f = first_form[op - TAG_FIRST_OP];
	u32 e = f;
	while (e < amd64_nforms && amd64_forms[e].op == op)
		e++;
	*end = e;
	return f;
}

/* ---- operand classes -------------------------------------------------------- */

static bool is_gpr(const Opnd *o) { return o->kind == OK_REG && o->reg < XMM0; }
static bool is_xmm(const Opnd *o) { return o->kind == OK_REG && o->reg >= XMM0 && o->reg <= XMM15; }

static bool is_implicit_class(u8 c)
{
	return c == C_I1 || c == C_AL || c == C_AX || c == C_CL || c == C_RAXq || c == C_RDXq;
}

/* Sign-extends the low `bytes` bytes of v. */
static i64 sext(i64 v, u32 bytes)
{
	if (bytes >= 8)
		return v;
	u32 sh = 64 - bytes * 8;
	return (i64)((u64)v << sh) >> sh;
}

bool imm_fits(i64 v, u32 bytes)
{
	if (bytes >= 8)
		return true;
	i64 lo = -((i64)1 << (bytes * 8 - 1)), hi = ((i64)1 << (bytes * 8)) - 1;
	return v >= lo && v <= hi;
}

/* An unsized memory operand (size 0) takes the operation size, when a
 * register operand of the form pins it (see pins_size). */
static bool rm_size(const Opnd *o, u32 size)
{
	return (is_gpr(o) && o->size == size) || (o->kind == OK_MEM && (o->size == size || !o->size));
}

static bool mem_size(const Opnd *o, u32 size)
{
	return o->kind == OK_MEM && (o->size == size || !o->size);
}

static bool match_class(u8 c, const Opnd *o, u32 osz)
{
	bool v = osz == 2 || osz == 4 || osz == 8;
	switch (c) {
	case C_NO: return o->kind == OK_NONE;
	case C_Rb: return is_gpr(o) && o->size == 1;
	case C_Rv: return v && is_gpr(o) && o->size == osz;
	case C_Rq: return is_gpr(o) && o->size == 8;
	case C_RMb: return rm_size(o, 1);
	case C_RMv: return v && rm_size(o, osz);
	case C_RMq: return rm_size(o, 8);
	case C_M: return o->kind == OK_MEM;
	case C_Mq:
	case C_Mxq: return mem_size(o, 8);
	case C_Ib: return o->kind == OK_IMM && imm_fits(o->imm, 1);
	case C_Is8: return o->kind == OK_IMM && imm_fits(o->imm, osz) && sext(o->imm, osz) == (i8)sext(o->imm, osz);
	case C_Iz: return o->kind == OK_IMM && (osz == 8 ? o->imm == (i32)o->imm : imm_fits(o->imm, osz));
	case C_Iv: return o->kind == OK_IMM && imm_fits(o->imm, osz);
	case C_I1: return o->kind == OK_IMM && o->imm == 1;
	case C_AL: return is_gpr(o) && o->reg == RAX && o->size == 1 && !o->hi;
	case C_AX: return v && is_gpr(o) && o->reg == RAX && o->size == osz;
	case C_CL: return is_gpr(o) && o->reg == RCX && o->size == 1 && !o->hi;
	case C_RAXq: return is_gpr(o) && o->reg == RAX && o->size == 8;
	case C_RDXq: return is_gpr(o) && o->reg == RDX && o->size == 8;
	case C_X: return is_xmm(o);
	case C_XMq: return is_xmm(o) || mem_size(o, 8);
	case C_XMo: return is_xmm(o) || mem_size(o, 16);
	case C_REL: return o->kind == OK_LABEL || o->kind == OK_GLOBAL;
	}
	die("bad operand class %d", c);
}

static bool is_sized_class(u8 c)
{
	return c == C_Rv || c == C_RMv || c == C_AX;
}

/* The operation size of a form for these operands: 1 for byte forms, the
 * size of the first v-sized register or memory operand otherwise. */
static u32 form_osz(const Form *f, const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		u8 c = f->cls[i];
		if (c == C_Rb || c == C_RMb || c == C_AL)
			return 1;
		if (c == C_Rq || c == C_RMq || c == C_RAXq || c == C_RDXq || c == C_Mq)
			return 8;
		if (is_sized_class(c) && o[i].size)
			return o[i].size;
	}
	return f->flags & F_D64 ? 8 : 0; /* push +5 pushes 8 bytes */
}

static bool needs_rex_reg(const Opnd *o)
{
	if (o->kind == OK_REG)
		return (o->reg >= R8 && o->reg <= R15) || (o->reg >= XMM0 + 8 && o->reg <= XMM15) ||
		       (o->size == 1 && !o->hi && o->reg >= RSP && o->reg <= RDI);
	if (o->kind == OK_MEM)
		return (o->base >= R8 && o->base <= R15) || (o->index >= R8 && o->index <= R15);
	return false;
}

static bool uses_high_byte(const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (o[i].kind == OK_REG && o[i].hi)
			return true;
	return false;
}

static bool form_needs_rex(const Form *f, const Opnd *o, u32 n, u32 osz)
{
	if (osz == 8 && !(f->flags & (F_D64 | F_FLOAT)) && f->enc != E_D && f->enc != E_ZO)
		return true;
	for (u32 i = 0; i < n; i++)
		if (needs_rex_reg(&o[i]))
			return true;
	return false;
}

/* Classes whose register operand fixes the size of the other operands. */
static bool is_pinning_class(u8 c)
{
	return c == C_Rb || c == C_Rv || c == C_Rq || c == C_RMb || c == C_RMv || c == C_RMq ||
	       c == C_AL || c == C_AX || c == C_X || c == C_XMq || c == C_XMo;
}

/* An unsized memory operand is only accepted when a register operand whose
 * class shares the operation size is present: (mov (mem (rax)) (ecx)) is a
 * 32-bit store, (shl (mem (rax)) (cl)) and (inc (mem (rax))) are unknown. */
static bool sizes_known(const Form *fm, const Opnd *o, u32 n)
{
	bool unsized = false, pinned = false;
	for (u32 i = 0; i < n; i++) {
		if (o[i].kind == OK_MEM && !o[i].size && fm->cls[i] != C_M)
			unsized = true;
		if (o[i].kind == OK_REG && is_pinning_class(fm->cls[i]))
			pinned = true;
	}
	return !unsized || pinned;
}

/* The size an unsized memory operand takes in form fm. */
static u32 mem_class_size(u8 c, u32 osz)
{
	return c == C_XMq || c == C_Mq || c == C_Mxq ? 8 : c == C_XMo ? 16 : c == C_M ? 0 : osz;
}

u32 amd64_match(u32 op, Opnd *o, u32 n, MatchFail *why)
{
	u32 end, f = amd64_forms_of(op, &end);
	*why = MF_NOFORM;
	for (; f < end; f++) {
		const Form *fm = &amd64_forms[f];
		u32 osz = form_osz(fm, o, n), i;
		for (i = 0; i < 3; i++)
			if (!match_class(fm->cls[i], i < n ? &o[i] : &(Opnd){0}, osz))
				break;
		if (i < 3 || !sizes_known(fm, o, n))
			continue;
		if (uses_high_byte(o, n) && form_needs_rex(fm, o, n, osz)) {
			*why = MF_HIGH_REX;
			continue;
		}
		for (i = 0; i < n; i++)
			if (o[i].kind == OK_MEM && !o[i].size)
				o[i].size = (u8)mem_class_size(fm->cls[i], osz);
		return f;
	}
	return NONE;
}

/* ---- byte emission ------------------------------------------------------------ */

static u8 low3(u8 reg) { return reg & 7; }
static u8 rex_bit(u8 reg) { return (reg >= XMM0 ? reg - XMM0 : reg) >> 3 & 1; }
static u8 enc_reg(const Opnd *o) { return o->hi ? (u8)(o->reg + 4) : low3(o->reg >= XMM0 ? o->reg - XMM0 : o->reg); }

typedef struct Emit {
	Buf *b;
	Encoder *e;
	u32 ins_start;
} Emit;

static u32 imm_size(const Form *f, u8 cls, u32 osz)
{
	(void)f;
	switch (cls) {
	case C_Ib:
	case C_Is8: return 1;
	case C_Iz: return osz == 2 ? 2 : 4;
	case C_Iv: return osz;
	}
	return 0;
}

static void put_opcode(Buf *b, u32 opc)
{
	if (opc > 0xFFFF)
		buf_byte(b, (u8)(opc >> 16));
	if (opc > 0xFF)
		buf_byte(b, (u8)(opc >> 8));
	buf_byte(b, (u8)opc);
}

/* ModRM (+SIB, +displacement) for rm operand m and reg field r. */
static void put_modrm_mem(Emit *em, u8 r, const Opnd *m, u32 trailing)
{
	Buf *b = em->b;
	if (m->base == RIPREG) {
		buf_byte(b, (u8)(r << 3 | 5));
		Fixup fx = {(u32)b->n, m->sym, (i32)(m->imm - 4 - (i64)trailing), FIX_REL32};
		encoder_fixup(em->e, fx);
		buf_le(b, 0, 4);
		return;
	}
	bool has_index = m->index != NOREG;
	if (m->base == NOREG) { /* [index*scale + disp32] or [disp32] */
		u8 idx = has_index ? low3(m->index) : 4;
		buf_byte(b, (u8)(r << 3 | 4));
		buf_byte(b, (u8)(sib_scale(m->scale) << 6 | idx << 3 | 5));
		buf_le(b, (u64)m->imm, 4);
		return;
	}
	u8 base = low3(m->base);
	u8 mod = m->imm == 0 && base != 5 ? 0 : m->imm == (i8)m->imm ? 1 : 2;
	if (has_index || base == 4) {
		u8 idx = has_index ? low3(m->index) : 4;
		buf_byte(b, (u8)(mod << 6 | r << 3 | 4));
		buf_byte(b, (u8)(sib_scale(has_index ? m->scale : 1) << 6 | idx << 3 | base));
	} else {
		buf_byte(b, (u8)(mod << 6 | r << 3 | base));
	}
	if (mod == 1)
		buf_byte(b, (u8)m->imm);
	else if (mod == 2)
		buf_le(b, (u64)m->imm, 4);
}

static void put_modrm(Emit *em, u8 r, const Opnd *m, u32 trailing)
{
	if (m->kind == OK_REG)
		buf_byte(em->b, (u8)(0xC0 | r << 3 | enc_reg(m)));
	else
		put_modrm_mem(em, r, m, trailing);
}

static u8 rex_of(const Form *f, const Opnd *reg, const Opnd *rm, u32 osz, const Opnd *o, u32 n)
{
	u8 rex = 0;
	if (osz == 8 && !(f->flags & (F_D64 | F_FLOAT)))
		rex |= 8;
	if (reg && reg->kind == OK_REG)
		rex |= (u8)(rex_bit(reg->reg) << 2);
	if (rm && rm->kind == OK_REG)
		rex |= rex_bit(rm->reg);
	if (rm && rm->kind == OK_MEM) {
		if (rm->index != NOREG)
			rex |= (u8)(rex_bit(rm->index) << 1);
		if (rm->base != NOREG && rm->base != RIPREG)
			rex |= rex_bit(rm->base);
	}
	for (u32 i = 0; i < n; i++) /* spl, bpl, sil, dil need a REX prefix */
		if (o[i].kind == OK_REG && o[i].size == 1 && !o[i].hi && o[i].reg >= RSP && o[i].reg <= RDI)
			rex |= 0x40;
	return rex ? (u8)(rex | 0x40) : 0;
}

static void put_prefixes(Buf *b, const Form *f, const Ins *ins, u32 osz)
{
	if (osz == 2 && !(f->flags & F_FLOAT))
		buf_byte(b, 0x66);
	if (ins->flags & IF_LOCK)
		buf_byte(b, 0xF0);
	if (f->flags & F_P66)
		buf_byte(b, 0x66);
	if (f->flags & F_PF2)
		buf_byte(b, 0xF2);
	if (f->flags & F_PF3)
		buf_byte(b, 0xF3);
}

/* Splits operands into the explicit ones the encoding refers to. */
static u32 explicit_operands(const Form *f, const Ins *ins, const Opnd **x)
{
	u32 n = 0;
	for (u32 i = 0; i < ins->nopnd; i++)
		if (!is_implicit_class(f->cls[i]))
			x[n++] = &ins->o[i];
	return n;
}

static u8 imm_class(const Form *f)
{
	for (u32 i = 0; i < 3; i++)
		if (f->cls[i] == C_Ib || f->cls[i] == C_Is8 || f->cls[i] == C_Iz || f->cls[i] == C_Iv)
			return f->cls[i];
	return C_NO;
}

void amd64_emit(Encoder *e, Buf *b, const Ins *ins)
{
	const Form *f = &amd64_forms[ins->form];
	const Opnd *x[3] = {0};
	explicit_operands(f, ins, x);
	u32 osz = form_osz(f, ins->o, ins->nopnd);
	u8 icls = imm_class(f);
	u32 isz = imm_size(f, icls, osz);
	const Opnd *reg = NULL, *rm = NULL, *imm = NULL, *opreg = NULL;
	switch (f->enc) {
	case E_O: opreg = x[0]; break;
	case E_OI: opreg = x[0], imm = x[1]; break;
	case E_M: rm = x[0]; break;
	case E_MI: rm = x[0], imm = x[1]; break;
	case E_MR: rm = x[0], reg = x[1]; break;
	case E_RM: reg = x[0], rm = x[1]; break;
	case E_RMI: reg = x[0], rm = x[1], imm = x[2]; break;
	case E_RRI: reg = x[0], rm = x[0], imm = x[1]; break;
	case E_I: imm = x[0]; break;
	case E_ZO: break;
	default: die("amd64_emit: form %u is a branch", ins->form);
	}
	Emit em = {b, e, (u32)b->n};
	put_prefixes(b, f, ins, osz);
	u8 rex = rex_of(f, reg, opreg ? opreg : rm, osz, ins->o, ins->nopnd);
	if (rex)
		buf_byte(b, rex);
	put_opcode(b, opreg ? f->opc + enc_reg(opreg) : f->opc);
	if (rm)
		put_modrm(&em, reg ? enc_reg(reg) : f->ext, rm, isz);
	if (imm)
		buf_le(b, (u64)imm->imm, (int)isz);
}

/* ---- branches and relaxation ---------------------------------------------------- */

/* Sizes of a branch form: [short, near]; a call has no short form. */
static void branch_sizes(const Form *f, u32 size[2])
{
	size[0] = f->opc2 ? 2 : 0;
	size[1] = f->opc2 > 0xFF ? 6 : 5;
}

void amd64_branch(Encoder *e, Buf *b, const Ins *ins)
{
	const Form *f = &amd64_forms[ins->form];
	const Opnd *t = &ins->o[0];
	u32 size[2];
	branch_sizes(f, size);
	if (t->kind == OK_GLOBAL) { /* a proc: always rel32, patched by the linker */
		put_opcode(b, f->opc2 ? f->opc2 : f->opc);
		encoder_fixup(e, (Fixup){(u32)b->n, t->sym, -4, FIX_REL32});
		buf_le(b, 0, 4);
		return;
	}
	encoder_jump(e, ins, t->sym, size[0], size[1], (u32)b->n);
}

void amd64_put_branch(Buf *out, const Form *f, bool near, i32 disp)
{
	if (!near) {
		buf_byte(out, (u8)f->opc);
		buf_byte(out, (u8)(i8)disp);
		return;
	}
	put_opcode(out, f->opc2 ? f->opc2 : f->opc);
	buf_le(out, (u64)(u32)disp, 4);
}
