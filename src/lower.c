/* lower.c - structured MIR to flat MIR with labels and jumps.
 *
 *   (ite cc T E)      j!cc ELSE; T; jmp END; ELSE: E; END:
 *   (ite cfvar T E)   cfvar false where control falls in: jmp ELSE; THEN: T; ...
 *                     cfvar true:                          THEN: T; ...
 *   (loop P cc B A)   HEAD: P; j!cc EXIT; B; jmp HEAD; EXIT: A
 *   (jtrue c)         jmp THEN(c)
 *
 * A jump after a branch that cannot fall through is left out.  Then three
 * peepholes shorten the result: a jump to the next instruction goes, a
 * jump to a jump goes straight to the final target, and "jcc L1; jmp L2;
 * L1:" becomes "j!cc L2; L1:".  They touch only the jumps lowering made
 * (IF_SYNTH): jumps the program wrote stay exactly as written.  The
 * encoder's relaxation then gives every jump its shortest encoding.
 */
#include "nifasm.h"

typedef struct Lowerer {
	InsVec *out;
	const Target *t;
	u32 pos;
} Lowerer;

static void put_label(Lowerer *l, u32 label)
{
	Ins ins = {.op = P_LABEL, .nopnd = 1, .pos = l->pos};
	ins.o[0] = (Opnd){.kind = OK_LABEL, .sym = label};
	vec_push(l->out, ins);
}

/* cc -1: jmp */
static void put_jump(Lowerer *l, int cc, u32 label)
{
	u16 form = l->t->jump_form(cc);
	Ins ins = {.op = 0, .form = form, .nopnd = 1, .flags = IF_SYNTH, .pos = l->pos};
	ins.op = (u16)(cc < 0 ? TAG_jmp : l->t->jump_tag(cc));
	ins.o[0] = (Opnd){.kind = OK_LABEL, .sym = label};
	vec_push(l->out, ins);
}

/* Jumps to `target` when cond is false; COND_CF_* tests lower statically. */
static void branch_unless(Lowerer *l, i64 cond, u32 target, u32 then_label)
{
	if (cond == COND_CF_FALSE)
		put_jump(l, -1, target);
	else if (cond >= 0)
		put_jump(l, (int)(cond ^ 1), target);
	if (then_label != NONE)
		put_label(l, then_label);
}

static void lower_one(Lowerer *l, const Ins *ins)
{
	const Opnd *o = ins->o;
	l->pos = ins->pos;
	switch (ins->op) {
	case P_ITE: branch_unless(l, o[0].imm, o[2].sym, o[1].sym); break;
	case P_ELSE:
		if (o[2].imm)
			put_jump(l, -1, o[0].sym);
		put_label(l, o[1].sym);
		break;
	case P_ENDITE: put_label(l, o[0].sym); break;
	case P_LOOP: put_label(l, o[0].sym); break;
	case P_LOOPTEST: branch_unless(l, o[0].imm, o[2].sym, o[1].sym); break;
	case P_LOOPEND:
		if (o[2].imm)
			put_jump(l, -1, o[0].sym);
		put_label(l, o[1].sym);
		break;
	case P_JTRUE: put_jump(l, -1, o[0].sym); break;
	default: vec_push(l->out, *ins); break;
	}
}

/* ---- peepholes ------------------------------------------------------------------- */

static bool is_label(const Ins *i) { return i->op == P_LABEL; }
static bool is_jmp(const Ins *i) { return i->op == TAG_jmp && i->o[0].kind == OK_LABEL; }
static bool is_synth(const Ins *i) { return (i->flags & IF_SYNTH) != 0; }
static bool is_jcc(const Ins *i, const Target *t)
{
	return i->op != TAG_jmp && i->op < TAG__COUNT && i->o[0].kind == OK_LABEL &&
	       i->nopnd == 1 && t->jump_cc(i->op) >= 0;
}

/* Where each label is: index of its P_LABEL in code, or NONE. */
static void index_labels(const InsVec *code, U32Vec *at)
{
	at->n = 0;
	for (u32 i = 0; i < code->n; i++) {
		if (!is_label(&code->v[i]))
			continue;
		u32 id = code->v[i].o[0].sym;
		while (at->n <= id)
			vec_push(at, NONE);
		at->v[id] = i;
	}
}

/* The first real instruction at or after i. */
static u32 skip_labels(const InsVec *code, u32 i)
{
	while (i < code->n && is_label(&code->v[i]))
		i++;
	return i;
}

/* A jump to a label followed by "jmp L2" goes to L2 directly; true when
 * a jump changed. */
static bool thread_jumps(InsVec *code, const U32Vec *at, const Target *t)
{
	bool changed = false;
	for (u32 i = 0; i < code->n; i++) {
		Ins *j = &code->v[i];
		if (!is_synth(j) || (!is_jmp(j) && !is_jcc(j, t)))
			continue;
		for (u32 hops = 0; hops < 8; hops++) {
			u32 l = j->o[0].sym, k = l < at->n ? at->v[l] : NONE;
			if (k == NONE)
				break;
			k = skip_labels(code, k);
			if (k >= code->n || !is_jmp(&code->v[k]) || code->v[k].o[0].sym == l)
				break;
			j->o[0].sym = code->v[k].o[0].sym;
			changed = true;
		}
	}
	return changed;
}

/* Is label `l` defined between positions from (inclusive) and to? */
static bool label_between(const InsVec *code, u32 from, u32 to, u32 l)
{
	for (u32 k = from; k < to; k++)
		if (is_label(&code->v[k]) && code->v[k].o[0].sym == l)
			return true;
	return false;
}

/* The peepholes over the whole unit; true when an instruction went. */
static bool simplify(InsVec *code, const Target *t)
{
	u32 w = 0, n = code->n;
	for (u32 i = 0; i < code->n; i++) {
		Ins *ins = &code->v[i];
		if (!is_synth(ins)) {
			if (w != i) /* most instructions stay where they are */
				code->v[w] = *ins;
			w++;
			continue;
		}
		u32 next = skip_labels(code, i + 1);
		if (is_jmp(ins) && label_between(code, i + 1, next, ins->o[0].sym))
			continue; /* a jump to the next instruction */
		if (is_jcc(ins, t) && next < code->n && is_jmp(&code->v[next]) && is_synth(&code->v[next]) &&
		    label_between(code, next + 1, skip_labels(code, next + 1), ins->o[0].sym) &&
		    next == i + 1) {
			Ins inv = code->v[next];
			inv.op = (u16)t->jump_tag(t->jump_cc(ins->op) ^ 1);
			inv.form = t->jump_form(t->jump_cc(ins->op) ^ 1);
			code->v[w++] = inv;
			i = next;
			continue;
		}
		code->v[w++] = *ins;
	}
	code->n = w;
	return w != n;
}

/* Labels nothing jumps to emit no bytes; dropping them lets the peepholes
 * see jumps that follow each other. */
static bool drop_unused_labels(InsVec *code, U32Vec *used)
{
	used->n = 0;
	for (u32 i = 0; i < code->n; i++) {
		const Ins *ins = &code->v[i];
		if (is_label(ins) || ins->nopnd < 1 || ins->o[0].kind != OK_LABEL)
			continue;
		while (used->n <= ins->o[0].sym)
			vec_push(used, 0);
		used->v[ins->o[0].sym] = 1;
	}
	u32 w = 0;
	for (u32 i = 0; i < code->n; i++) {
		u32 l = code->v[i].o[0].sym;
		if (!is_label(&code->v[i]) || (l < used->n && used->v[l]))
			code->v[w++] = code->v[i];
	}
	bool dropped = w != code->n;
	code->n = w;
	return dropped;
}

void lower(const InsVec *in, InsVec *out, const Target *t)
{
	Lowerer l = {out, t, 0};
	vec_reserve(out, in->n);
	for (u32 i = 0; i < in->n; i++)
		lower_one(&l, &in->v[i]);
	U32Vec at = {0};
	bool changed = true;
	for (u32 round = 0; round < 6 && changed; round++) { /* until nothing changes */
		changed = drop_unused_labels(out, &at);
		changed |= simplify(out, t);
		index_labels(out, &at);
		changed |= thread_jumps(out, &at, t);
	}
	vec_free(&at);
}
