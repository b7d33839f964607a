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
			buf_printf(b, "memory of unknown size");
		return;
	case OK_LABEL: buf_printf(b, "a label"); return;
	case OK_GLOBAL: buf_printf(b, "a proc"); return;
	}
	buf_printf(b, "nothing");
}

/* A class's description at operation size osz: "64-bit register" rather
 * than "16/32/64-bit register" once the size is known. */
static void class_text(Buf *b, u8 c, u32 osz)
{
	const char *d = amd64_class_desc(c);
	bool sized = osz == 2 || osz == 4 || osz == 8;
	if (sized && (c == C_AX || c == C_DX))
		buf_printf(b, "register %s", T_amd64.reg_name(c == C_AX ? RAX : RDX, osz, false));
	else if (sized && !strncmp(d, "16/32/64-bit", 12))
		buf_printf(b, "%u-bit%s", osz * 8, d + 12);
	else
		buf_printf(b, "%s", d);
}

/* Appends "a, b or c" from the texts collected in parts (NUL-separated). */
static void join_alternatives(Buf *b, const Buf *parts, u32 count)
{
	u32 k = 0;
	for (size_t at = 0; at < parts->n; at += strlen((const char *)parts->p + at) + 1, k++)
		buf_printf(b, "%s%s", k == 0 ? "" : k + 1 == count ? " or " : ", ", (const char *)parts->p + at);
}

/* Adds text to parts unless it is there already; returns the new count. */
static u32 add_alternative(Buf *parts, u32 count, const char *text)
{
	for (size_t at = 0; at < parts->n; at += strlen((const char *)parts->p + at) + 1)
		if (!strcmp((const char *)parts->p + at, text))
			return count;
	buf_put(parts, text, strlen(text) + 1);
	return count + 1;
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
	buf_printf(w->msg, "%s takes ", w->mn);
	for (u32 k = 0, seen = 0; k < 4; k++) {
		if (!(arities & (1u << k)))
			continue;
		u32 rest = arities >> (k + 1);
		buf_printf(w->msg, "%s%u", seen++ == 0 ? "" : rest ? ", " : " or ", k);
	}
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

/* Whether some form takes an operand of this kind (register, immediate,
 * memory, xmm, label) at position i, whatever its size or value. */
static bool kind_taken(const Why *w, u32 i)
{
	bool taken = false;
	FOR_FORMS(w, f)
		taken |= amd64_class_takes_kind(f->cls[i], &w->o[i]);
	return taken;
}

static bool all_write_first(const Why *w)
{
	bool all = true;
	FOR_FORMS(w, f)
		all &= (f->flags & F_W0) != 0;
	return all;
}

static void expected_at(const Why *w, u32 i, Buf *b, u32 max_misses);

static bool explain_kind(const Why *w, u32 *at)
{
	for (u32 i = 0; i < w->n; i++) {
		if (kind_taken(w, i))
			continue;
		*at = i;
		if (i == 0 && w->o[0].kind == OK_IMM && all_write_first(w)) {
			buf_printf(w->msg, "the destination of %s cannot be an immediate", w->mn);
			return true;
		}
		buf_printf(w->msg, "%s: the %s operand cannot be ", w->mn, ordinal(i));
		opnd_text(w->msg, &w->o[i]);
		buf_printf(w->msg, "; it must be ");
		expected_at(w, i, w->msg, 3);
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
		u8 a = amd64_class_width(f->cls[i]), b = amd64_class_width(f->cls[j]);
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

/* How many bits an immediate class holds at operation size osz; a
 * sign-extended 32-bit immediate counts as 31.5 (63 in half bits). */
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

static u32 popcount(u32 x)
{
	u32 n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Describes what the forms missing at most max_misses operands, one of
 * them i, would take at position i. */
static void expected_at(const Why *w, u32 i, Buf *b, u32 max_misses)
{
	Buf parts = {0}, text = {0};
	u32 count = 0;
	FOR_FORMS(w, f) {
		u32 m = misses(w, f);
		if (!(m & (1u << i)) || popcount(m) > max_misses)
			continue;
		text.n = 0;
		class_text(&text, f->cls[i], amd64_osz(f, w->o, w->n));
		buf_byte(&text, 0);
		count = add_alternative(&parts, count, (const char *)text.p);
	}
	join_alternatives(b, &parts, count);
	buf_free(&parts);
	buf_free(&text);
}

/* Some form takes every operand but one: say what it wants there. */
static bool explain_near_miss(const Why *w, u32 *at)
{
	u32 pos = NONE;
	FOR_FORMS(w, f) {
		u32 m = misses(w, f);
		if (popcount(m) != 1)
			continue;
		u32 p = (u32)__builtin_ctz(m);
		if (pos != NONE && pos != p)
			return false;
		pos = p;
	}
	if (pos == NONE)
		return false;
	buf_printf(w->msg, "%s: the %s operand must be ", w->mn, ordinal(pos));
	expected_at(w, pos, w->msg, 1);
	buf_printf(w->msg, ", not ");
	opnd_text(w->msg, &w->o[pos]);
	*at = pos;
	return true;
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
		explain_arity, explain_high_byte, explain_kind,    explain_two_mems,
		explain_sizes, explain_unsized,   explain_imm,     explain_near_miss,
	};
	Why w = {op, mn, o, n, fail, msg};
	u32 at = NONE;
	for (u32 k = 0; k < COUNTOF(rules); k++)
		if (rules[k](&w, &at))
			return at;
	explain_fallback(&w);
	return NONE;
}
