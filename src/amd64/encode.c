/* encode.c - x86-64 machine code from lowered MIR.
 *
 * The checker picks a form for every instruction (amd64_match, match.c);
 * this file turns (form, operands) into bytes: legacy prefixes, REX,
 * opcode, ModRM, SIB, displacement, immediate.  Branches to labels are
 * sized by relax.c.
 */
#include "../nifasm.h"
#include "amd64int.h"

/* ---- operand roles and REX ------------------------------------------------------ */

static u8 low3(u8 reg) { return reg & 7; }
static u8 hw_num(u8 reg) { return reg >= XMM0 ? (u8)(reg - XMM0) : reg; }
static u8 rex_bit(u8 reg) { return hw_num(reg) >> 3 & 1; }
static u8 enc_reg(const Opnd *o) { return o->hi ? (u8)(o->reg + 4) : low3(hw_num(o->reg)); }

/* What each explicit operand of a form is encoded as. */
typedef struct Roles {
	const Opnd *reg;   /* ModRM.reg */
	const Opnd *rm;    /* ModRM.rm */
	const Opnd *opreg; /* register in the opcode's low bits */
	const Opnd *imm;
} Roles;

/* Which operand fills each role, and the class of the immediate, per form:
 * derived once from the form and class tables, so encoding an instruction
 * needs no search. */
enum { ROLE_REG, ROLE_RM, ROLE_OPREG, ROLE_IMM, NROLES, NO_OPERAND = 3 };

typedef struct Plan {
	u8 at[NROLES]; /* operand index, or NO_OPERAND */
	u8 imm_cls;    /* class of the explicit immediate, C_NO if none */
	u8 wv[4];      /* operands whose class takes the operation's size, then NO_OPERAND */
	u8 osz_else;   /* the size when none of them has one (see amd64_osz) */
	u8 rexw;       /* REX.W always (1), never (0) or for 8-byte operations (2) */
	u8 nfixed;     /* the mandatory prefixes 66, F2, F3 that the form has */
	u8 fixed[3];
} Plan;

static Plan *plans;

static u8 imm_class(const Form *f)
{
	for (u32 i = 0; i < 3; i++)
		if (amd64_is_imm_class(f->cls[i]) && !amd64_is_implicit(f->cls[i]))
			return f->cls[i];
	return C_NO;
}

/* amd64_osz's two searches, done once per form. */
static void plan_size(const Form *f, Plan *p)
{
	u32 k = 0;
	for (u32 i = 0; i < 3; i++)
		if (amd64_classes[f->cls[i]].width == WV)
			p->wv[k++] = (u8)i;
	while (k < COUNTOF(p->wv))
		p->wv[k++] = NO_OPERAND;
	Opnd unsized[3] = {{0}};
	p->osz_else = (u8)amd64_osz(f, unsized, 3);
	p->rexw = (f->flags & F_REXW) ? 1 : (f->flags & (F_D64 | F_FLOAT)) ? 0 : 2;
}

static void plan_prefixes(const Form *f, Plan *p)
{
	static const struct { u32 flag; u8 byte; } mandatory[] = {{F_P66, 0x66}, {F_PF2, 0xF2}, {F_PF3, 0xF3}};
	p->nfixed = 0;
	for (u32 i = 0; i < COUNTOF(mandatory); i++)
		if (f->flags & mandatory[i].flag)
			p->fixed[p->nfixed++] = mandatory[i].byte;
}

static void plan_form(const Form *f, Plan *p)
{
	u8 x[3] = {NO_OPERAND, NO_OPERAND, NO_OPERAND};
	for (u32 i = 0, k = 0; i < 3; i++)
		if (f->cls[i] != C_NO && !amd64_is_implicit(f->cls[i]))
			x[k++] = (u8)i;
	memset(p->at, NO_OPERAND, NROLES);
	u8 *at = p->at;
	switch (f->enc) {
	case E_O: at[ROLE_OPREG] = x[0]; break;
	case E_OI: at[ROLE_OPREG] = x[0], at[ROLE_IMM] = x[1]; break;
	case E_M: at[ROLE_RM] = x[0]; break;
	case E_MI: at[ROLE_RM] = x[0], at[ROLE_IMM] = x[1]; break;
	case E_MR: at[ROLE_RM] = x[0], at[ROLE_REG] = x[1]; break;
	case E_RM: at[ROLE_REG] = x[0], at[ROLE_RM] = x[1]; break;
	case E_RMI: at[ROLE_REG] = x[0], at[ROLE_RM] = x[1], at[ROLE_IMM] = x[2]; break;
	case E_RRI: at[ROLE_REG] = x[0], at[ROLE_RM] = x[0], at[ROLE_IMM] = x[1]; break;
	case E_I: at[ROLE_IMM] = x[0]; break;
	}
	p->imm_cls = imm_class(f);
	plan_size(f, p);
	plan_prefixes(f, p);
}

static const Plan *plan_of(const Form *f)
{
	if (UNLIKELY(!plans)) {
		plans = xmalloc(amd64_nforms * sizeof *plans);
		for (u32 k = 0; k < amd64_nforms; k++)
			plan_form(&amd64_forms[k], &plans[k]);
	}
	return &plans[f - amd64_forms];
}

/* amd64_osz from the plan: the first sized operand whose class takes the
 * operation's size, else the form's own size. */
static u32 plan_osz(const Plan *p, const Opnd *o, u32 n)
{
	for (const u8 *at = p->wv; *at < n; at++)
		if (o[*at].size)
			return o[*at].size;
	return p->osz_else;
}

static const Opnd *role(const Plan *p, u32 r, const Opnd *o, u32 n)
{
	return p->at[r] < n ? &o[p->at[r]] : NULL;
}

static Roles roles_of(const Plan *p, const Opnd *o, u32 n)
{
	return (Roles){.reg = role(p, ROLE_REG, o, n), .rm = role(p, ROLE_RM, o, n),
		       .opreg = role(p, ROLE_OPREG, o, n), .imm = role(p, ROLE_IMM, o, n)};
}

/* spl, bpl, sil and dil exist only with a REX prefix. */
static bool is_rex_byte_reg(const Opnd *o)
{
	return o && o->kind == OK_REG && o->size == 1 && !o->hi && o->reg >= RSP && o->reg <= RDI;
}

static u8 rex_of_roles(const Plan *p, Roles r, u32 osz)
{
	const Opnd *b = r.opreg ? r.opreg : r.rm;
	u8 rex = p->rexw == 1 || (p->rexw == 2 && osz == 8) ? 8 : 0;
	if (r.reg)
		rex |= (u8)(rex_bit(r.reg->reg) << 2);
	if (b && b->kind == OK_REG)
		rex |= rex_bit(b->reg);
	if (b && b->kind == OK_MEM) {
		if (b->index != NOREG)
			rex |= (u8)(rex_bit(b->index) << 1);
		if (b->base != NOREG && b->base != RIPREG)
			rex |= rex_bit(b->base);
	}
	if (rex || is_rex_byte_reg(r.reg) || is_rex_byte_reg(b))
		rex |= 0x40;
	return rex;
}

u8 amd64_rex(const Form *f, const Opnd *o, u32 n, u32 osz)
{
	const Plan *p = plan_of(f);
	return rex_of_roles(p, roles_of(p, o, n), osz);
}

/* ---- byte emission ------------------------------------------------------------ */

/* An instruction is written straight into room reserved at the end of its
 * buffer, through a cursor, and the buffer's length moves once at the end:
 * no capacity test per byte.  An x86 instruction has at most 15 bytes; the
 * room is larger, so a form that broke that rule would fail the ASSERT
 * below before it wrote past the buffer. */
enum { MAX_INS_BYTES = 15, INS_ROOM = 32 };

typedef struct Emit {
	u8 *q;     /* the next byte */
	u8 *start; /* the instruction's first byte, at b->p + b->n */
	Buf *b;
	Encoder *e;
	u32 pos; /* the instruction's, for its fixups */
} Emit;

static void emit_byte(Emit *em, u8 x) { *em->q++ = x; }

/* One 8-byte store whatever nbytes is: the room has space past the
 * instruction's last byte, and the next one overwrites the excess. */
static void emit_le(Emit *em, u64 v, u32 nbytes)
{
	u8 le[8];
	put_le(le, v, 8);
	memcpy(em->q, le, 8);
	em->q += nbytes;
}

static u32 imm_size(u8 cls, u32 osz)
{
	switch (cls) {
	case C_Ib:
	case C_Is8: return 1;
	case C_Iw: return 2;
	case C_Iz: return osz == 2 ? 2 : 4;
	case C_Iv: return osz;
	}
	return 0;
}

/* Writes the opcode's one to three bytes at q; returns the end. */
static u8 *put_opcode(u8 *q, u32 opc)
{
	if (opc > 0xFFFF)
		*q++ = (u8)(opc >> 16);
	if (opc > 0xFF)
		*q++ = (u8)(opc >> 8);
	*q++ = (u8)opc;
	return q;
}

static void put_fixup(Emit *em, u32 global, u32 kind, i64 addend)
{
	ASSERT(global < 1u << 31 && addend == (i32)addend);
	Fixup fx = {.off = (u32)(em->b->n + (size_t)(em->q - em->start)), .global = global,
		    .kind = kind, .addend = (i32)addend, .pos = em->pos};
	encoder_fixup(em->e, fx);
	emit_le(em, 0, 4);
}

static void put_rip(Emit *em, u8 r, const Opnd *m, u32 trailing)
{
	emit_byte(em, (u8)(r << 3 | 5));
	/* the displacement counts from the end of the instruction */
	put_fixup(em, m->sym, FIX_REL32, m->imm - 4 - (i64)trailing);
}

/* A 32-bit displacement; a tvar's thread-pointer offset is known only
 * after linking. */
static void put_disp32(Emit *em, const Opnd *m)
{
	if (m->flags & OF_TPOFF)
		put_fixup(em, m->sym, FIX_TPOFF, m->imm);
	else
		emit_le(em, (u64)m->imm, 4);
}

/* ModRM (+SIB, +displacement) for memory operand m and reg field r. */
static void put_modrm_mem(Emit *em, u8 r, const Opnd *m, u32 trailing)
{
	if (m->base == RIPREG) {
		put_rip(em, r, m, trailing);
		return;
	}
	bool has_index = m->index != NOREG;
	u8 idx = has_index ? low3(m->index) : 4; /* 4: no index */
	if (m->base == NOREG) { /* [index*scale + disp32] or [disp32] */
		emit_byte(em, (u8)(r << 3 | 4));
		emit_byte(em, (u8)(sib_scale(m->scale) << 6 | idx << 3 | 5));
		put_disp32(em, m);
		return;
	}
	u8 base = low3(m->base);
	/* base 5 (rbp, r13) with mod 0 would mean RIP or no base: use disp8 0 */
	u8 mod = m->imm == 0 && base != 5 ? 0 : m->imm == (i8)m->imm ? 1 : 2;
	if (m->flags & OF_TPOFF)
		mod = 2;
	if (has_index || base == 4) { /* base 4 (rsp, r12) needs a SIB byte */
		emit_byte(em, (u8)(mod << 6 | r << 3 | 4));
		emit_byte(em, (u8)(sib_scale(has_index ? m->scale : 1) << 6 | idx << 3 | base));
	} else {
		emit_byte(em, (u8)(mod << 6 | r << 3 | base));
	}
	if (mod == 1)
		emit_byte(em, (u8)m->imm);
	else if (mod == 2)
		put_disp32(em, m);
}

/* ---- the head of an instruction, and a memo of heads -----------------------------
 * Everything amd64_emit writes but a memory operand's addressing bytes and
 * an immediate's value depends only on the form, the lock flag and the
 * operands' shapes (kind, size, register, high-byte flag, fs segment):
 * the prefixes, REX but for a memory operand's base and index bits, the
 * opcode, and the ModRM byte or its reg field.  Generated code repeats few
 * shapes (the 10^5 benchmark program builds 55 heads), so the head is
 * worked out once per shape and kept in a direct-mapped memo (a collision
 * overwrites); encoding an instruction is then a key, a compare and a few
 * stores.  Every instruction goes through a head, so a memo hit and a
 * miss write the same bytes.
 */
enum { RM_MEM = 4, HEAD_BITS = 10 };

typedef struct Head {
	u64 a, b;   /* the key (head_key); a == 0 in an empty slot, which no form has */
	u8 pre[6];  /* legacy prefixes, in GNU as's order: segment, operand size, lock, mandatory */
	u8 npre;
	u8 opc[3];  /* the opcode, the opcode register folded in */
	u8 nopc;
	u8 rex;     /* the REX byte the registers and the size need, 0 for none */
	u8 modrm;   /* register rm: the whole ModRM byte; memory: its reg field */
	u8 isz;     /* immediate bytes */
	u8 rm;      /* the rm operand's index (| RM_MEM for memory), or NO_OPERAND */
	u8 imm;     /* the immediate's index, or NO_OPERAND */
} Head;

static Head *heads;

/* The form, the operand count, lock, each operand's fs flag and its first
 * four bytes (kind, size, reg, hi), which the head depends on and more:
 * a memory operand's unused reg bytes are zero, and any extra bit in the
 * key only costs a miss. */
static void head_key(const Ins *ins, u64 *a, u64 *b)
{
	const Opnd *o = ins->o;
	u32 w0, w1, w2;
	memcpy(&w0, &o[0], 4), memcpy(&w1, &o[1], 4), memcpy(&w2, &o[2], 4);
	u32 fs = (o[0].flags & OF_FS) | (o[1].flags & OF_FS) << 1 | (o[2].flags & OF_FS) << 2;
	*a = ((u64)ins->form + 1) | (u64)(ins->flags & IF_LOCK) << 16 | (u64)ins->nopnd << 17 |
	     (u64)fs << 20 | (u64)w0 << 32;
	*b = w1 | (u64)w2 << 32;
}

/* Legacy prefixes in GNU as's order: segment, operand size, lock, mandatory. */
static u8 head_prefixes(u8 *pre, const Form *f, const Plan *p, const Ins *ins, const Opnd *rm, u32 osz)
{
	u8 n = 0;
	if (rm && rm->kind == OK_MEM && (rm->flags & OF_FS))
		pre[n++] = 0x64;
	if (osz == 2 && !(f->flags & F_FLOAT))
		pre[n++] = 0x66;
	if (ins->flags & IF_LOCK)
		pre[n++] = 0xF0;
	for (u32 i = 0; i < p->nfixed; i++)
		pre[n++] = p->fixed[i];
	return n;
}

static void build_head(const Ins *ins, Head *h)
{
	const Form *f = &amd64_forms[ins->form];
	const Plan *p = plan_of(f);
	const Opnd *o = ins->o;
	u32 osz = plan_osz(p, o, ins->nopnd);
	Roles r = roles_of(p, o, ins->nopnd);
	bool mem = r.rm && r.rm->kind != OK_REG;
	memset(h, 0, sizeof *h);
	h->isz = (u8)imm_size(p->imm_cls, osz);
	h->npre = head_prefixes(h->pre, f, p, ins, r.rm, osz);
	Roles regs = r;
	if (mem) /* its base and index add their bits when it is encoded */
		regs.rm = NULL;
	h->rex = rex_of_roles(p, regs, osz);
	h->nopc = (u8)(put_opcode(h->opc, r.opreg ? f->opc + enc_reg(r.opreg) : f->opc) - h->opc);
	u8 field = r.reg ? enc_reg(r.reg) : f->ext;
	h->modrm = mem ? field : (u8)(0xC0 | field << 3 | (r.rm ? enc_reg(r.rm) : 0));
	h->rm = r.rm ? (u8)((r.rm - o) | (mem ? RM_MEM : 0)) : NO_OPERAND;
	h->imm = r.imm ? (u8)(r.imm - o) : NO_OPERAND;
}

static const Head *head_of(const Ins *ins)
{
	if (UNLIKELY(!heads))
		heads = xcalloc((size_t)1 << HEAD_BITS, sizeof *heads);
	u64 a, b;
	head_key(ins, &a, &b);
	Head *h = &heads[((a * HASH_K1) ^ (b * HASH_K2)) >> (64 - HEAD_BITS)];
	if (UNLIKELY(h->a != a || h->b != b)) {
		build_head(ins, h);
		h->a = a, h->b = b;
	}
	return h;
}

void amd64_emit_release(void)
{
	free(plans);
	plans = NULL;
	free(heads);
	heads = NULL;
}

/* The REX bits of a memory operand's index and base. */
static u8 mem_rex_bits(const Opnd *m)
{
	u8 rex = 0;
	if (m->index != NOREG)
		rex |= (u8)(rex_bit(m->index) << 1);
	if (m->base != NOREG && m->base != RIPREG)
		rex |= rex_bit(m->base);
	return rex;
}

/* Writes the instruction: its head, then a memory operand's ModRM, SIB
 * and displacement, then the immediate.  pre and opc are stored 8 and 4
 * bytes at a time (the room has space past the last byte). */
static void put_ins(Emit *em, const Head *h, const Opnd *o)
{
	memcpy(em->q, h->pre, 8);
	em->q += h->npre;
	const Opnd *rm = &o[h->rm & 3];
	u8 rex = h->rex;
	if (h->rm & RM_MEM)
		rex |= mem_rex_bits(rm);
	if (rex)
		emit_byte(em, rex | 0x40);
	memcpy(em->q, h->opc, 4);
	em->q += h->nopc;
	if (h->rm & RM_MEM)
		put_modrm_mem(em, h->modrm, rm, h->isz);
	else if (h->rm != NO_OPERAND)
		emit_byte(em, h->modrm);
	if (h->imm != NO_OPERAND)
		emit_le(em, (u64)o[h->imm].imm, h->isz);
}

static u16 form_of(u32 op, Opnd *o, u32 n)
{
	MatchFail why;
	u32 f = amd64_match(op, o, n, &why);
	if (f == NONE)
		die("no form for the lowering of a thread-local lea");
	return (u16)f;
}

/* lea cannot add a segment base, so the address of a tvar is computed as
 *     mov dst, fs:0                the TCB, which holds its own address
 *     lea dst, [dst + index*scale + tpoff]
 * The checker refuses an index that is the destination. */
static void emit_tls_lea(Encoder *e, Buf *b, const Ins *ins)
{
	Ins mov = {.op = TAG_mov, .nopnd = 2, .pos = ins->pos};
	mov.o[0] = ins->o[0];
	mov.o[1] = (Opnd){.kind = OK_MEM, .size = ins->o[0].size, .base = NOREG, .index = NOREG, .scale = 1,
			  .flags = OF_FS};
	mov.form = form_of(TAG_mov, mov.o, 2);
	amd64_emit(e, b, &mov);
	Ins lea = *ins;
	lea.o[1].base = ins->o[0].reg;
	lea.o[1].flags = OF_TPOFF;
	amd64_emit(e, b, &lea);
}

void amd64_emit(Encoder *e, Buf *b, const Ins *ins)
{
	ASSERT(amd64_forms[ins->form].enc != E_D);
	if (UNLIKELY(ins->op == TAG_lea && (ins->o[1].flags & OF_FS))) {
		emit_tls_lea(e, b, ins);
		return;
	}
	const Head *h = head_of(ins);
	u8 *start = buf_room(b, INS_ROOM);
	Emit em = {start, start, b, e, ins->pos};
	put_ins(&em, h, ins->o);
	ASSERT(em.q - start <= MAX_INS_BYTES);
	b->n += (size_t)(em.q - start);
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
		amd64_put_branch(b, f, true, 0);
		encoder_fixup(e, (Fixup){.off = (u32)b->n - 4, .global = t->sym, .kind = FIX_REL32,
					 .addend = -4, .pos = ins->pos});
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
	u8 *start = buf_room(out, 6), *q = put_opcode(start, f->opc2 ? f->opc2 : f->opc);
	put_le(q, (u64)(u32)disp, 4);
	out->n += (size_t)(q + 4 - start);
}
