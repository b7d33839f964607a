/* explain.c - why no form of a mnemonic takes the given operands.
 *
 * Called only after amd64_match failed.  The rules run from the most to the
 * least specific; the first that recognises the problem writes the message
 * and names the operand at fault, so the caret points at it.  Every rule
 * asks the form table (by matching variations of the operands), so the
 * messages follow AMD64_OPS without a second list of instruction facts.
 */
#include "../nifasm.h"
#include "amd64int.h"

typedef struct Why {
	u32 op;
	const char *mn; /* the mnemonic, for messages */
	const Opnd *o;
	u32 n;
	MatchFail fail;
	Buf *msg;
} Why;

/* ---- texts ------------------------------------------------------------------------ */

static const char *ordinal(u32 i)
{
	static const char *const names[] = {"first", "second", "third"};
	return i < COUNTOF(names) ? names[i] : "last";
}

static void opnd_text(Buf *b, const Opnd *o)
{
	switch (o->kind) {
	case OK_REG:
		if (o->reg >= XMM0)
			buf_printf(b, "xmm register %s", T_amd64.reg_name(o->reg, 16, false));
		else
			buf_printf(b, "%u-bit register %s", o->size * 8, T_amd64.reg_name(o->reg, o->size, o->hi));
		return;
	case OK_IMM: buf_printf(b, "immediate %lld", (long long)o->imm); return;
	case OK_MEM:
		if (o->size)
			buf_printf(b, "%u-bit memory", o->size * 8);
		else
			buf_printf(b, "memory");
		return;
	case OK_LABEL: buf_printf(b, "a label"); return;
	case OK_GLOBAL: buf_printf(b, "a proc"); return;
	}
	buf_printf(b, "nothing");
}

/* ---- what a position wants ----------------------------------------------------- */

enum { K_GPR = 1, K_XMM = 2, K_MEM = 4, K_IMM = 8, K_REL = 16 };

static u32 kind_of(const Opnd *o)
{
	switch (o->kind) {
	case OK_REG: return o->reg >= XMM0 ? K_XMM : K_GPR;
	case OK_MEM: return K_MEM;
	case OK_IMM: return K_IMM;
	case OK_LABEL:
	case OK_GLOBAL: return K_REL;
	}
	return 0;
}

/* The kinds class c takes, found by asking it about one operand of each. */
static u32 class_kinds(u8 c)
{
	static const Opnd probes[] = {
		{.kind = OK_REG, .size = 8, .reg = RAX}, {.kind = OK_REG, .size = 16, .reg = XMM0},
		{.kind = OK_MEM, .base = RAX, .index = NOREG, .scale = 1}, {.kind = OK_IMM, .imm = 1},
		{.kind = OK_LABEL},
	};
	u32 kinds = 0;
	for (u32 k = 0; k < COUNTOF(probes); k++)
		if (amd64_class_takes_kind(c, &probes[k]))
			kinds |= kind_of(&probes[k]);
	return kinds;
}

/* Appends "a, b or c" for the words whose bit is in mask. */
static void join_words(Buf *b, u32 mask, const char *const *words, u32 nwords)
{
	u32 left = 0;
	for (u32 k = 0; k < nwords; k++)
		left += (mask >> k) & 1;
	for (u32 k = 0, seen = 0; k < nwords; k++) {
		if (!((mask >> k) & 1))
			continue;
		seen++;
		buf_printf(b, "%s%s", seen == 1 ? "" : seen == left ? " or " : ", ", words[k]);
	}
}

static void kinds_text(Buf *b, u32 kinds)
{
	static const char *const words[] = {"a general register", "an xmm register", "memory",
					    "an immediate", "a label or proc"};
	join_words(b, kinds, words, COUNTOF(words));
}

/* What the forms want at one position for an operand of a given kind:
 * widths (bit k = 1 << k bytes) and fixed registers. */
typedef struct Wanted {
	u32 widths;
	VEC(Opnd) regs; /* fixed registers, as register operands */
} Wanted;

static u32 width_bits(u8 c, u32 osz)
{
	u8 w = amd64_class(c)->width;
	if (w != WV)
		return w;
	return osz == 2 || osz == 4 || osz == 8 ? osz : 2 | 4 | 8;
}

static void want_class(Wanted *wt, u8 c, u32 osz)
{
	const ClassInfo *ci = amd64_class(c);
	u32 widths = width_bits(c, osz);
	if (ci->reg == NOREG) {
		wt->widths |= widths;
		return;
	}
	for (u32 size = 1; size <= 8; size *= 2)
		if (widths & size)
			vec_push(&wt->regs, ((Opnd){.kind = OK_REG, .reg = ci->reg, .size = (u8)size,
						   .hi = (ci->flags & CF_HIGH) != 0}));
}

/* Whether name is in done (NUL-separated names); records it when not. */
static bool already_listed(Buf *done, const char *name)
{
	for (size_t at = 0; at < done->n; at += strlen((const char *)done->p + at) + 1)
		if (!strcmp((const char *)done->p + at, name))
			return true;
	buf_put(done, name, strlen(name) + 1);
	return false;
}

/* "register rdx", "a 16-bit, 32-bit or 64-bit register", "64-bit memory". */
static void wanted_text(Buf *b, const Wanted *wt, u32 kind)
{
	static const char *const bits[] = {"8-bit", "16-bit", "32-bit", "64-bit", "128-bit"};
	Buf done = {0};
	u32 nregs = 0;
	for (u32 k = 0; k < wt->regs.n; k++) {
		const Opnd *r = &wt->regs.v[k];
		const char *name = T_amd64.reg_name(r->reg, r->size, r->hi);
		if ((wt->widths & r->size) || already_listed(&done, name))
			continue;
		buf_printf(b, "%s%s", nregs++ ? " or " : "register ", name);
	}
	buf_free(&done);
	if (kind == K_XMM) {
		buf_printf(b, "an xmm register");
		return;
	}
	if (!wt->widths)
		return;
	if (kind != K_MEM)
		buf_printf(b, "%s%s", nregs ? ", or " : "", wt->widths & 1 ? "an " : "a ");
	else if (nregs)
		buf_printf(b, ", or ");
	join_words(b, wt->widths, bits, COUNTOF(bits)); /* bit k: 1 << k bytes */
	buf_printf(b, kind == K_MEM ? " memory" : " register");
}

/* ---- form queries ----------------------------------------------------------------- */

static u32 form_arity(const Form *f)
{
	u32 n = 0;
	while (n < 3 && f->cls[n] != C_NO)
		n++;
	return n;
}

/* The forms taking w->n operands, in table order: next_form(w, NULL) is
 * the first, next_form(w, f) the one after f, NULL the end. */
static const Form *next_form(const Why *w, const Form *f)
{
	u32 end, k = amd64_forms_of(w->op, &end);
	if (f)
		k = (u32)(f - amd64_forms) + 1;
	for (; k < end; k++)
		if (form_arity(&amd64_forms[k]) == w->n)
			return &amd64_forms[k];
	return NULL;
}

#define FOR_FORMS(w, f) for (const Form *f = next_form(w, NULL); f; f = next_form(w, f))

static bool matches_with(const Why *w, u32 i, Opnd probe)
{
	Opnd o[3];
	memcpy(o, w->o, w->n * sizeof *o);
	o[i] = probe;
	MatchFail ignored;
	return amd64_match(w->op, o, w->n, &ignored) != NONE;
}

/* ---- the rules -------------------------------------------------------------------- */

static bool explain_arity(const Why *w, u32 *at)
{
	u32 arities = 0, end, f = amd64_forms_of(w->op, &end);
	for (; f < end; f++)
		arities |= 1u << form_arity(&amd64_forms[f]);
	if (arities & (1u << w->n))
		return false;
	*at = NONE;
	if (arities == 1) {
		buf_printf(w->msg, "%s takes no operands", w->mn);
		return true;
	}
	static const char *const counts[] = {"0", "1", "2", "3"};
	buf_printf(w->msg, "%s takes ", w->mn);
	join_words(w->msg, arities, counts, COUNTOF(counts));
	buf_printf(w->msg, " operand%s, not %u", arities == 2 ? "" : "s", w->n);
	return true;
}

static bool explain_high_byte(const Why *w, u32 *at)
{
	if (w->fail != MF_HIGH_REX)
		return false;
	for (*at = 0; *at < w->n && !(w->o[*at].kind == OK_REG && w->o[*at].hi); ++*at)
		;
	buf_printf(w->msg, "%s: ah, bh, ch and dh cannot be used in an instruction that needs a REX "
			   "prefix (a 64-bit operand, r8-r15, or spl/bpl/sil/dil)", w->mn);
	return true;
}

static u32 kinds_at(const Why *w, u32 i)
{
	u32 kinds = 0;
	FOR_FORMS(w, f)
		kinds |= class_kinds(f->cls[i]);
	return kinds;
}

static bool all_write_first(const Why *w)
{
	bool all = true;
	FOR_FORMS(w, f)
		all &= (f->flags & F_W0) != 0;
	return all;
}

/* No form takes this kind of operand (an immediate, memory, ...) here. */
static bool explain_kind(const Why *w, u32 *at)
{
	for (u32 i = 0; i < w->n; i++) {
		u32 kinds = kinds_at(w, i);
		if (kinds & kind_of(&w->o[i]))
			continue;
		*at = i;
		if (i == 0 && w->o[0].kind == OK_IMM && all_write_first(w)) {
			buf_printf(w->msg, "the destination of %s cannot be an immediate", w->mn);
			return true;
		}
		buf_printf(w->msg, "%s: the %s operand cannot be ", w->mn, ordinal(i));
		opnd_text(w->msg, &w->o[i]);
		buf_printf(w->msg, "; it must be ");
		kinds_text(w->msg, kinds);
		return true;
	}
	return false;
}

static bool explain_two_mems(const Why *w, u32 *at)
{
	u32 mems = 0;
	for (u32 i = 0; i < w->n; i++)
		if (w->o[i].kind == OK_MEM && ++mems == 2) {
			buf_printf(w->msg, "%s cannot take two memory operands", w->mn);
			*at = i;
			return true;
		}
	return false;
}

static bool is_sized(const Opnd *o)
{
	return (o->kind == OK_REG && o->reg < XMM0) || (o->kind == OK_MEM && o->size);
}

/* Operands i and j must have one size in every form that takes their
 * kinds (mov, add, div, ...; not movzx, not a shift's count). */
static bool same_size_required(const Why *w, u32 i, u32 j)
{
	bool same = true, any = false;
	FOR_FORMS(w, f) {
		if (!amd64_class_takes_kind(f->cls[i], &w->o[i]) ||
		    !amd64_class_takes_kind(f->cls[j], &w->o[j]))
			continue;
		u8 a = amd64_class(f->cls[i])->width, b = amd64_class(f->cls[j])->width;
		same &= a && a == b;
		any = true;
	}
	return any && same;
}

static bool explain_sizes(const Why *w, u32 *at)
{
	for (u32 j = 1; j < w->n; j++)
		for (u32 i = 0; i < j; i++) {
			const Opnd *a = &w->o[i], *b = &w->o[j];
			if (!is_sized(a) || !is_sized(b) || a->size == b->size || !same_size_required(w, i, j))
				continue;
			buf_printf(w->msg, "%s: operand sizes differ (%u-bit and %u-bit)", w->mn,
				   a->size * 8, b->size * 8);
			*at = j;
			return true;
		}
	return false;
}

static bool explain_unsized(const Why *w, u32 *at)
{
	static const u8 sizes[] = {1, 2, 4, 8, 16};
	for (u32 i = 0; i < w->n; i++) {
		if (w->o[i].kind != OK_MEM || w->o[i].size)
			continue;
		for (u32 k = 0; k < COUNTOF(sizes); k++) {
			Opnd probe = w->o[i];
			probe.size = sizes[k];
			if (matches_with(w, i, probe)) {
				buf_printf(w->msg, "%s: the size of this memory operand is unknown; give it a "
						   "type, e.g. (cast (i +64) (mem ...))", w->mn);
				*at = i;
				return true;
			}
		}
	}
	return false;
}

/* How many bits an immediate class holds at operation size osz, in half
 * bits: a sign-extended 32-bit immediate counts as 31.5 (63). */
static u32 imm_half_bits(u8 c, u32 osz)
{
	switch (c) {
	case C_Ib: case C_Is8: return 16;
	case C_Iw: return 32;
	case C_Iz: return osz == 8 ? 63 : osz * 16;
	case C_Iv: return osz * 16;
	}
	return 0;
}

/* The widest immediate any form takes at position i, given the other
 * operands; 0 when no form takes an immediate there. */
static u32 widest_imm(const Why *w, u32 i)
{
	u32 best = 0;
	FOR_FORMS(w, f) {
		Opnd o[3];
		memcpy(o, w->o, w->n * sizeof *o);
		o[i].imm = 0;
		u32 osz = amd64_osz(f, o, w->n);
		if (amd64_form_takes(f, o, w->n, osz))
			best = MAX(best, imm_half_bits(f->cls[i], osz));
	}
	return best;
}

static bool explain_imm(const Why *w, u32 *at)
{
	for (u32 i = 0; i < w->n; i++) {
		if (w->o[i].kind != OK_IMM)
			continue;
		u32 hb = widest_imm(w, i);
		if (!hb)
			continue;
		buf_printf(w->msg, "%s: immediate %lld does not fit in ", w->mn, (long long)w->o[i].imm);
		if (hb == 63)
			buf_printf(w->msg, "a sign-extended 32 bits");
		else
			buf_printf(w->msg, "%u bits", hb / 2);
		*at = i;
		return true;
	}
	return false;
}

/* Positions of the operands form f does not take (a bit mask). */
static u32 misses(const Why *w, const Form *f)
{
	static const Opnd none;
	u32 osz = amd64_osz(f, w->o, w->n), mask = 0;
	for (u32 i = 0; i < 3; i++)
		if (!amd64_class_takes(f->cls[i], i < w->n ? &w->o[i] : &none, osz))
			mask |= 1u << i;
	return mask;
}

/* "the second operand must be register rdx, not 64-bit register rcx" from
 * the forms that miss only operand i, or from all forms. */
static void must_be(const Why *w, u32 i, bool only_near_misses)
{
	Wanted wt = {0};
	FOR_FORMS(w, f)
		if ((!only_near_misses || misses(w, f) == 1u << i) &&
		    amd64_class_takes_kind(f->cls[i], &w->o[i]))
			want_class(&wt, f->cls[i], amd64_osz(f, w->o, w->n));
	buf_printf(w->msg, "%s: the %s operand must be ", w->mn, ordinal(i));
	wanted_text(w->msg, &wt, kind_of(&w->o[i]));
	buf_printf(w->msg, ", not ");
	opnd_text(w->msg, &w->o[i]);
	vec_free(&wt.regs);
}

/* Some form takes every operand but one: say what it wants there. */
static bool explain_near_miss(const Why *w, u32 *at)
{
	u32 pos = NONE;
	FOR_FORMS(w, f) {
		u32 m = misses(w, f);
		if (m == 0 || (m & (m - 1)))
			continue;
		u32 p = (u32)__builtin_ctz(m);
		if (pos != NONE && pos != p)
			return false;
		pos = p;
	}
	if (pos == NONE)
		return false;
	must_be(w, pos, true);
	*at = pos;
	return true;
}

/* Whether some form takes o[i] at position i at some operation size. */
static bool width_taken(const Why *w, u32 i)
{
	FOR_FORMS(w, f)
		for (u32 osz = 1; osz <= 8; osz *= 2)
			if (amd64_class_takes(f->cls[i], &w->o[i], osz))
				return true;
	return false;
}

/* No form has this operand's width (or register) here: (cmove (al) (bl)). */
static bool explain_width(const Why *w, u32 *at)
{
	for (u32 i = 0; i < w->n; i++) {
		if (!is_sized(&w->o[i]) || width_taken(w, i))
			continue;
		must_be(w, i, false);
		*at = i;
		return true;
	}
	return false;
}

static void explain_fallback(const Why *w)
{
	buf_printf(w->msg, "no form of %s takes (", w->mn);
	for (u32 i = 0; i < w->n; i++) {
		buf_printf(w->msg, "%s", i ? ", " : "");
		opnd_text(w->msg, &w->o[i]);
	}
	buf_printf(w->msg, ")");
}

u32 amd64_explain(u32 op, const char *mn, const Opnd *o, u32 n, MatchFail fail, Buf *msg)
{
	static bool (*const rules[])(const Why *, u32 *) = {
		explain_arity,   explain_high_byte, explain_kind,      explain_two_mems, explain_sizes,
		explain_unsized, explain_imm,       explain_near_miss, explain_width,
	};
	Why w = {op, mn, o, n, fail, msg};
	u32 at = NONE;
	for (u32 k = 0; k < COUNTOF(rules); k++)
		if (rules[k](&w, &at))
			return at;
	explain_fallback(&w);
	return NONE;
}
