/* match.c - which form of a mnemonic takes a given list of operands, and
 * why none does.
 *
 * Forms come from AMD64_OPS and operand classes from AMD64_CLASSES
 * (amd64.h).  The checker calls amd64_match for every instruction; the
 * first form whose classes accept the operands wins, so the table's order
 * is GNU as's preference.  When nothing matches, amd64_explain finds the
 * operand at fault and says what the hardware would have accepted there.
 */
#include "../nifasm.h"
#include "amd64int.h"

const Form amd64_forms[] = {
#define OP(name, o1, o2, o3, opc, opc2, enc, ext, fl, uses, defs) \
	{TAG_##name, {C_##o1, C_##o2, C_##o3}, enc, ext, opc, opc2, fl, uses, defs},
#define ALT OP
	AMD64_OPS
#undef OP
#undef ALT
};
const u32 amd64_nforms = COUNTOF(amd64_forms);

const OpInfo amd64_ops[] = {
#define OP(name, o1, o2, o3, opc, opc2, enc, ext, fl, uses, defs) \
	[TAG_##name - TAG_FIRST_OP] = {fl, C_##o1 == C_REL},
#define ALT(...)
	AMD64_OPS
#undef OP
#undef ALT
};

const ClassInfo amd64_classes[] = {
#define X(name, width, reg, flags, desc) {width, reg, flags, desc},
	AMD64_CLASSES(X)
#undef X
};

/* The forms of mnemonic op are amd64_first_form[op - TAG_FIRST_OP] up to
 * the next entry: AMD64_OPS lists the forms in tag order, each mnemonic's
 * together, and every mnemonic has at least one.  Built on first use. */
u16 amd64_first_form[TAG__COUNT - TAG_FIRST_OP + 1];
bool amd64_form_index_ready;

void amd64_init_form_index(void)
{
	u32 nops = TAG__COUNT - TAG_FIRST_OP;
	for (u32 i = 0; i <= nops; i++)
		amd64_first_form[i] = (u16)amd64_nforms;
	for (u32 f = amd64_nforms; f-- > 0;) {
		ASSERT(f == 0 || amd64_forms[f - 1].op <= amd64_forms[f].op);
		amd64_first_form[amd64_forms[f].op - TAG_FIRST_OP] = (u16)f;
	}
	amd64_form_index_ready = true;
}

/* ---- immediates ---------------------------------------------------------------- */

/* Sign-extends the low `bytes` bytes of v. */
static i64 sext(i64 v, u32 bytes)
{
	if (bytes >= 8)
		return v;
	u32 sh = 64 - bytes * 8;
	return (i64)((u64)v << sh) >> sh;
}

/* Whether v is a `bytes`-wide value, written signed or unsigned. */
bool imm_fits(i64 v, u32 bytes)
{
	if (bytes >= 8)
		return true;
	if (bytes == 0)
		return false;
	i64 lo = -((i64)1 << (bytes * 8 - 1)), hi = ((i64)1 << (bytes * 8)) - 1;
	return v >= lo && v <= hi;
}

static bool is_op_size(u32 osz) { return osz == 2 || osz == 4 || osz == 8; }

static bool imm_class_fits(u8 c, i64 v, u32 osz)
{
	switch (c) {
	case C_Ib: return imm_fits(v, 1);
	case C_Iw: return imm_fits(v, 2);
	case C_Is8: return is_op_size(osz) && imm_fits(v, osz) && sext(v, osz) == (i8)sext(v, osz);
	case C_Iz: return osz == 8 ? v == (i32)v : is_op_size(osz) && imm_fits(v, osz);
	case C_Iv: return is_op_size(osz) && imm_fits(v, osz);
	case C_I1: return v == 1;
	}
	die("class %u is not an immediate class", c);
}


/* ---- operand classes -------------------------------------------------------- */

static bool is_gpr(const Opnd *o) { return o->kind == OK_REG && o->reg < XMM0; }
static bool is_xmm(const Opnd *o) { return o->kind == OK_REG && o->reg >= XMM0 && o->reg <= XMM15; }
static bool is_mem(const Opnd *o) { return o->kind == OK_MEM; }

/* The width class c stands for at operation size osz (0: none). */
static u32 class_width(u8 c, u32 osz)
{
	u8 w = amd64_classes[c].width;
	return w != WV ? w : is_op_size(osz) ? osz : 0;
}

static bool has_width(u8 c, const Opnd *o, u32 osz)
{
	u32 w = class_width(c, osz);
	return w && o->size == w;
}

/* A memory operand without a size may still match; sizes_known decides. */
static bool mem_matches(u8 c, const Opnd *o, u32 osz)
{
	return is_mem(o) && (!o->size || has_width(c, o, osz));
}

/* A fixed-register class: its register at the class's width. */
static bool is_class_reg(u8 c, const Opnd *o, u32 osz)
{
	const ClassInfo *ci = &amd64_classes[c];
	return is_gpr(o) && o->reg == ci->reg && o->hi == !!(ci->flags & CF_HIGH) && has_width(c, o, osz);
}

bool amd64_class_takes(u8 c, const Opnd *o, u32 osz)
{
	if (amd64_classes[c].reg != NOREG)
		return is_class_reg(c, o, osz);
	switch (c) {
	case C_NO: return o->kind == OK_NONE;
	case C_Rb: case C_Rw: case C_Rd: case C_Rv: case C_Rq: return is_gpr(o) && has_width(c, o, osz);
	case C_Rvx: /* eax excluded: xchg eax, eax is 87 C0, not the nop 90 */
		return is_gpr(o) && has_width(c, o, osz) && !(o->reg == RAX && o->size == 4);
	case C_RMb: case C_RMw: case C_RMd: case C_RMv: case C_RMq: case C_Ed: case C_Eq:
		return (is_gpr(o) && has_width(c, o, osz)) || mem_matches(c, o, osz);
	case C_M: return is_mem(o);
	case C_Md: case C_Mq: case C_Mo: return mem_matches(c, o, osz);
	case C_X: return is_xmm(o);
	case C_XMd: case C_XMq: case C_XMo: return is_xmm(o) || mem_matches(c, o, osz);
	case C_REL: return o->kind == OK_LABEL || o->kind == OK_GLOBAL;
	}
	return o->kind == OK_IMM && imm_class_fits(c, o->imm, osz);
}

/* Whether class c takes an operand of o's kind (a general register, an xmm
 * register, an immediate, memory, a label) of some size or value. */
bool amd64_class_takes_kind(u8 c, const Opnd *o)
{
	static const u8 families[] = {RAX, RCX, RDX};
	for (u32 osz = 1; osz <= 8; osz *= 2) {
		Opnd p = *o;
		if (o->kind == OK_IMM)
			p.imm = 1;
		if (o->kind == OK_MEM)
			p.size = 0;
		if (!is_gpr(o)) {
			if (amd64_class_takes(c, &p, osz))
				return true;
			continue;
		}
		for (u32 k = 0; k < COUNTOF(families) * 2; k++) {
			p = (Opnd){.kind = OK_REG, .reg = families[k / 2], .size = (u8)osz};
			p.hi = osz == 1 && k % 2;
			if (amd64_class_takes(c, &p, osz))
				return true;
		}
	}
	return false;
}

/* The operation size of form f for these operands: the size of the first
 * operation-sized (WV) operand that has one, else the first fixed width. */
u32 amd64_osz(const Form *f, const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n && i < 3; i++)
		if (amd64_classes[f->cls[i]].width == WV && o[i].size)
			return o[i].size;
	for (u32 i = 0; i < 3; i++)
		if (amd64_classes[f->cls[i]].width && amd64_classes[f->cls[i]].width != WV)
			return amd64_classes[f->cls[i]].width;
	return f->flags & F_D64 ? 8 : 0;
}

/* An unsized memory operand is known when its class owns its width or a
 * register operand of a pinning class of the same width fixes it. */
static bool mem_size_known(const Form *f, const Opnd *o, u32 n, u32 i)
{
	const ClassInfo *ci = &amd64_classes[f->cls[i]];
	if (ci->flags & CF_OWN)
		return true;
	for (u32 j = 0; j < n; j++) {
		const ClassInfo *cj = &amd64_classes[f->cls[j]];
		if (j != i && o[j].kind == OK_REG && (cj->flags & CF_PIN) && cj->width == ci->width)
			return true;
	}
	return false;
}

static bool sizes_known(const Form *f, const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (is_mem(&o[i]) && !o[i].size && !mem_size_known(f, o, n, i))
			return false;
	return true;
}

bool amd64_form_takes(const Form *f, const Opnd *o, u32 n, u32 osz)
{
	static const Opnd none;
	if (n > 3)
		return false;
	for (u32 i = 0; i < 3; i++)
		if (!amd64_class_takes(f->cls[i], i < n ? &o[i] : &none, osz))
			return false;
	return sizes_known(f, o, n);
}

/* ah, bh, ch and dh are encoded as spl, bpl, sil, dil when a REX prefix is
 * present, so no form needing one can take them. */
static u32 high_byte_operand(const Form *f, const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (o[i].kind == OK_REG && o[i].hi && !amd64_is_implicit(f->cls[i]))
			return i;
	return NONE;
}

static u32 find_form(u32 op, const Opnd *o, u32 n, MatchFail *why)
{
	u32 end, f = amd64_forms_of(op, &end);
	*why = MF_NOFORM;
	for (; f < end; f++) {
		const Form *fm = &amd64_forms[f];
		u32 osz = amd64_osz(fm, o, n);
		if (!amd64_form_takes(fm, o, n, osz))
			continue;
		if (high_byte_operand(fm, o, n) != NONE && amd64_rex(fm, o, n, osz)) {
			*why = MF_HIGH_REX;
			continue;
		}
		return f;
	}
	return NONE;
}

/* ---- a memo of matches ------------------------------------------------------
 * Which form takes a list of operands depends only on their shape: kind,
 * size, register, high-byte flag and, for an immediate, which ranges its
 * value fits.  Generated code repeats a few hundred shapes, so the result of
 * the form search is remembered per shape in a direct-mapped table (a
 * collision overwrites).  Operands with ah..dh are not memoized: their REX
 * check also looks at the registers of memory operands.
 */
typedef struct MatchMemo {
	u64 a, b;
	u32 form_plus1; /* 0: empty */
	u8 mem_size[3]; /* the size an unsized memory operand gets */
} MatchMemo;

enum { MEMO_BITS = 10 };
static MatchMemo *memo;

/* Which ranges the immediate classes test v against.  A value that fits a
 * signed byte fits all of them but `v == 1` (most immediates in generated
 * code do), so it needs no test but that one. */
static u64 imm_shape(i64 v)
{
	if (v == (i8)v)
		return 0xef | (u64)(v == 1) << 4;
	u64 s = (u64)imm_fits(v, 1) | (u64)imm_fits(v, 2) << 1 | (u64)imm_fits(v, 4) << 2 |
		(u64)(v == (i32)v) << 3 | (u64)(v == 1) << 4;
	for (u32 osz = 2, bit = 5; osz <= 8; osz *= 2, bit++)
		s |= (u64)(sext(v, osz) == (i8)sext(v, osz)) << bit;
	return s;
}

/* Everything amd64_class_takes and amd64_osz read of an operand, in 28 bits. */
static u64 opnd_shape(const Opnd *o)
{
	u64 s = (u64)o->kind | (u64)o->size << 3;
	if (o->kind == OK_REG)
		s |= (u64)o->reg << 11 | (u64)o->hi << 19;
	if (o->kind == OK_IMM)
		s |= imm_shape(o->imm) << 20;
	return s;
}

static MatchMemo *memo_slot(u32 op, const Opnd *o, u32 n, u64 *a, u64 *b)
{
	static const Opnd none;
	if (!memo)
		memo = xcalloc((size_t)1 << MEMO_BITS, sizeof *memo);
	*a = op | (u64)n << 16 | opnd_shape(n > 0 ? &o[0] : &none) << 20;
	*b = opnd_shape(n > 1 ? &o[1] : &none) | opnd_shape(n > 2 ? &o[2] : &none) << 32;
	u64 h = (*a * HASH_K1) ^ (*b * HASH_K2);
	return &memo[h >> (64 - MEMO_BITS)];
}

static bool memoizable(const Opnd *o, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (o[i].kind == OK_REG && o[i].hi)
			return false;
	return n <= 3;
}

/* The size form f gives each unsized memory operand. */
static void unsized_memory(const Form *f, const Opnd *o, u32 n, u8 size[3])
{
	u32 osz = amd64_osz(f, o, n);
	for (u32 i = 0; i < 3; i++)
		size[i] = i < n && is_mem(&o[i]) && !o[i].size ? (u8)class_width(f->cls[i], osz) : 0;
}

static u32 find_form_memo(u32 op, const Opnd *o, u32 n, MatchFail *why, u8 size[3])
{
	if (!memoizable(o, n)) {
		u32 f = find_form(op, o, n, why);
		if (f != NONE)
			unsized_memory(&amd64_forms[f], o, n, size);
		return f;
	}
	u64 a, b;
	MatchMemo *m = memo_slot(op, o, n, &a, &b);
	if (m->form_plus1 && m->a == a && m->b == b) {
		memcpy(size, m->mem_size, 3);
		return m->form_plus1 - 1;
	}
	u32 f = find_form(op, o, n, why);
	if (f == NONE)
		return NONE;
	unsized_memory(&amd64_forms[f], o, n, size);
	*m = (MatchMemo){a, b, f + 1, {size[0], size[1], size[2]}};
	return f;
}

void amd64_match_release(void)
{
	free(memo);
	memo = NULL;
}

u32 amd64_match(u32 op, Opnd *o, u32 n, MatchFail *why)
{
	u8 size[3];
	u32 f = find_form_memo(op, o, n, why, size);
	if (f == NONE)
		return NONE;
	for (u32 i = 0; i < n; i++)
		if (size[i])
			o[i].size = size[i];
	return f;
}

bool amd64_lockable(const Form *f, const Opnd *o, u32 n)
{
	if (!(f->flags & F_LOCK))
		return false;
	for (u32 i = 0; i < n; i++)
		if (is_mem(&o[i]))
			return true;
	return false;
}
