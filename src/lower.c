/* lower.c - structured MIR to flat MIR with labels and jumps.
 *
 *   (ite cc T E)      j!cc ELSE; T; jmp END; ELSE: E; END:
 *   (ite cfvar T E)   cfvar false where control falls in: jmp ELSE; THEN: T; ...
 *                     cfvar true:                          THEN: T; ...
 *   (loop P cc B A)   HEAD: P; j!cc EXIT; B; jmp HEAD; EXIT: A
 *   (jtrue c)         jmp THEN(c)
 *
 * A jump after a branch that cannot fall through is left out.  The rest is
 * shortened as it is written, in one pass: when a label is placed, a jump
 * to it just before it goes, and "jcc L; jmp M; L:" becomes "j!cc M; L:";
 * a label nothing jumps to is not placed at all, so those patterns meet
 * across the ends of nested forms.  Then one pass over the jumps lowering
 * made sends a jump to a jump straight to the final target; lowering
 * notes where it puts its jumps and labels as it goes, so that pass looks
 * at nothing else.  All of this touches only
 * the jumps lowering made (IF_SYNTH): jumps the program wrote stay exactly
 * as written.  The encoder's relaxation then gives every jump its shortest
 * encoding.
 *
 * Lowering works in place: the checker follows every structured op with
 * the empty slots (P_NOP) its expansion may need, so the jumps and labels
 * are written over the op and its slots, and a jump taken out becomes
 * P_NOP.  No instruction moves and the unit's code is not copied; every
 * test below looks through P_NOP as if it were not there.
 */
#include "nifasm.h"

typedef struct Lowerer {
	InsVec *out;
	u32 w, end; /* the slots of the op being lowered: the next, and past the last */
	const Target *t;
	u32 pos;
	U32Vec refs;  /* by label: how many emitted jumps target it */
	U32Vec at;    /* by label: where lowering placed it in out, or NONE */
	U32Vec jumps; /* where the jumps lowering made are in out, in order */
	U32Vec skip;  /* by position, for labels and empty slots: see last_real */
} Lowerer;

static bool is_empty(const Ins *i) { return i->op == P_NOP; }
static bool is_label_or_empty(const Ins *i) { return i->op == P_LABEL || i->op == P_NOP; }
static bool is_synth(const Ins *i) { return (i->flags & IF_SYNTH) != 0; }
static bool is_jmp(const Ins *i) { return i->op == TAG_jmp && i->o[0].kind == OK_LABEL; }

/* The count of references to `label` (a slot of a by-label vector). */
static u32 *refs_of(Lowerer *l, u32 label)
{
	ASSERT(label != NONE); /* the checker gave every jump its target */
	vec_cover(&l->refs, label, 0);
	return &l->refs.v[label];
}

/* The next slot of the op being lowered, cleared, with one label
 * operand.  Filled in place: an Ins built in a local and copied in was a
 * store-forwarding stall (the copy's wide loads read narrow stores). */
static Ins *put_slot(Lowerer *l, u16 op, u32 label)
{
	ASSERT(l->w < l->end);
	Ins *ins = &l->out->v[l->w++];
	memset(ins, 0, sizeof *ins);
	ins->op = op;
	ins->nopnd = 1;
	ins->pos = l->pos;
	ins->o[0].kind = OK_LABEL;
	ins->o[0].sym = label;
	return ins;
}

/* The most instructions each structured op lowers to, itself included. */
u32 lower_slots(u16 op)
{
	switch (op) {
	case P_ITE:      /* j!cc ELSE, THEN: */
	case P_LOOPTEST: /* j!cc EXIT, BODY: */
	case P_ELSE:     /* jmp END, ELSE: */
	case P_LOOPEND:  /* jmp HEAD, EXIT: */
		return 2;
	default: return 1;
	}
}

/* cc -1: jmp */
static void put_jump(Lowerer *l, int cc, u32 label)
{
	++*refs_of(l, label);
	vec_push(&l->jumps, l->w);
	Ins *ins = put_slot(l, (u16)(cc < 0 ? TAG_jmp : l->t->jump_tag(cc)), label);
	ins->form = l->t->jump_form(cc);
	ins->flags = IF_SYNTH;
}

/* Walks over labels and empty slots up to SHORT_WALK at a time without
 * the skip links of last_real and next_real, which need a vector as long as
 * the code (filling it for every proc cost 2% of the benchmark's time). */
enum { SHORT_WALK = 16 };

/* last_real past SHORT_WALK labels and empty slots.  The labels that close
 * nested forms pile up at the end of the code, and each label placed looks
 * back past them, so the walks are shortened as in a union-find: skip[k],
 * for a label or empty slot k walked over, is a position s <= k such that
 * all of s..k are labels or empty.  That stays true: lowering writes only
 * after them, and only ever turns an instruction into an empty slot. */
static u32 last_real_far(Lowerer *l)
{
	const InsVec *code = l->out;
	vec_cover(&l->skip, l->w, NONE);
	u32 k = l->w;
	while (k > 0 && is_label_or_empty(&code->v[k - 1]))
		k = l->skip.v[k - 1] != NONE ? l->skip.v[k - 1] : k - 1;
	for (u32 p = l->w; p > k;) { /* every slot walked over now skips to k */
		u32 next = l->skip.v[p - 1] != NONE ? l->skip.v[p - 1] : p - 1;
		l->skip.v[p - 1] = k;
		p = next;
	}
	return k ? k - 1 : NONE;
}

/* The last instruction before l->w that is neither a label nor empty, or
 * NONE. */
static u32 last_real(Lowerer *l)
{
	const InsVec *code = l->out;
	for (u32 k = l->w, steps = 0; k > 0; k--, steps++) {
		if (!is_label_or_empty(&code->v[k - 1]))
			return k - 1;
		if (steps == SHORT_WALK)
			return last_real_far(l);
	}
	return NONE;
}

/* The instruction before i, empty slots skipped, or NULL. */
static Ins *before(const InsVec *code, u32 i)
{
	while (i > 0 && is_empty(&code->v[i - 1]))
		i--;
	return i ? &code->v[i - 1] : NULL;
}

/* Takes out the jump lowering made at i, the last instruction before the
 * labels that end the lowered code: so it is the last jump noted. */
static void remove_jump(Lowerer *l, u32 i)
{
	ASSERT(l->jumps.n && vec_last(&l->jumps) == i);
	l->jumps.n--;
	l->out->v[i].op = P_NOP;
}

/* Shortens the code that ends where `label` is about to be placed;
 * true when it changed something. */
static bool fold_before(Lowerer *l, u32 label)
{
	InsVec *code = l->out;
	u32 a = last_real(l);
	if (a == NONE || !is_synth(&code->v[a]))
		return false;
	Ins *ja = &code->v[a];
	if (is_jmp(ja) && ja->o[0].sym == label) { /* a jump to the next instruction */
		--*refs_of(l, label);
		remove_jump(l, a);
		return true;
	}
	Ins *jb = before(code, a); /* no label between the two */
	if (!is_jmp(ja) || !jb || !is_synth(jb) || jb->o[0].kind != OK_LABEL ||
	    jb->o[0].sym != label || l->t->jump_cc(jb->op) < 0)
		return false;
	int cc = l->t->jump_cc(jb->op) ^ 1; /* jcc L; jmp M; L:  ->  j!cc M; L: */
	jb->op = (u16)l->t->jump_tag(cc);
	jb->form = l->t->jump_form(cc);
	jb->o[0].sym = ja->o[0].sym;
	jb->pos = ja->pos; /* the listing shows the jump it replaces */
	--*refs_of(l, label);
	remove_jump(l, a);
	return true;
}

/* A loop head: later jumps go back to it, so it is always placed. */
static inline __attribute__((always_inline)) void put_head_label(Lowerer *l, u32 label)
{
	vec_cover(&l->at, label, NONE);
	l->at.v[label] = l->w;
	put_slot(l, P_LABEL, label);
}

/* Places a label that only earlier jumps can target (else, end, exit,
 * the then-branch of a cfvar): not at all when none does. */
static void put_forward_label(Lowerer *l, u32 label)
{
	while (fold_before(l, label))
		;
	if (*refs_of(l, label) != 0)
		put_head_label(l, label);
}

/* Jumps to `target` when cond is false; COND_CF_* tests lower statically. */
static void branch_unless(Lowerer *l, i64 cond, u32 target, u32 then_label)
{
	if (cond == COND_CF_FALSE)
		put_jump(l, -1, target);
	else if (cond >= 0)
		put_jump(l, (int)(cond ^ 1), target);
	if (then_label != NONE)
		put_forward_label(l, then_label);
}

static bool is_structured(u32 op) { return op - P_ITE <= P_JTRUE - P_ITE; }

static void lower_one(Lowerer *l, const Ins *ins)
{
	const Opnd *o = ins->o;
	l->pos = ins->pos;
	switch (ins->op) {
	case P_ITE:
	case P_LOOPTEST: branch_unless(l, o[0].imm, o[2].sym, o[1].sym); break;
	case P_ELSE:
	case P_LOOPEND:
		if (o[2].imm) /* the branch falls through: to the end, or back to the head */
			put_jump(l, -1, o[0].sym);
		put_forward_label(l, o[1].sym);
		break;
	case P_ENDITE: put_forward_label(l, o[0].sym); break;
	case P_LOOP: put_head_label(l, o[0].sym); break;
	case P_JTRUE: put_jump(l, -1, o[0].sym); break;
	default: die("lower_one: op %u is not a structured form", ins->op);
	}
}

/* ---- jump threading ------------------------------------------------------------ */

/* next_real past SHORT_WALK labels and empty slots; skip[p], for a label
 * or empty slot p walked over, is a position past it with labels or empty
 * slots all the way (nothing changes while jumps are threaded). */
static u32 next_real_far(const InsVec *code, U32Vec *skip, u32 k)
{
	vec_cover(skip, code->n, NONE);
	u32 start = k;
	while (k < code->n && is_label_or_empty(&code->v[k]))
		k = skip->v[k] != NONE ? skip->v[k] : k + 1;
	for (u32 p = start; p < k;) {
		u32 next = skip->v[p] != NONE ? skip->v[p] : p + 1;
		skip->v[p] = k;
		p = next;
	}
	return k;
}

/* The first instruction at or after k that is neither a label nor empty,
 * or code->n.  Many jumps can target labels of one long run (the ends of
 * nested forms). */
static u32 next_real(const InsVec *code, U32Vec *skip, u32 k)
{
	for (u32 steps = 0; k < code->n; k++, steps++) {
		if (!is_label_or_empty(&code->v[k]))
			return k;
		if (steps == SHORT_WALK)
			return next_real_far(code, skip, k);
	}
	return code->n;
}

/* A jump lowering made whose target is followed by "jmp M" goes to M.
 * Its targets are labels lowering placed (at). */
static void thread_jumps(InsVec *code, const U32Vec *jumps, const U32Vec *at, U32Vec *skip)
{
	skip->n = 0; /* last_real's links go the other way */
	for (u32 i = 0; i < jumps->n; i++) {
		Ins *j = &code->v[jumps->v[i]];
		ASSERT(is_synth(j) && j->o[0].kind == OK_LABEL);
		for (u32 hops = 0; hops < 8; hops++) {
			u32 l = j->o[0].sym, k = l < at->n ? at->v[l] : NONE;
			if (k != NONE)
				k = next_real(code, skip, k);
			if (k == NONE || k >= code->n || !is_jmp(&code->v[k]) || code->v[k].o[0].sym == l)
				break;
			j->o[0].sym = code->v[k].o[0].sym;
		}
	}
}

/* The structured op at i, lowered over itself and its empty slots. */
static void lower_at(Lowerer *l, u32 i)
{
	Ins op = l->out->v[i]; /* its slot is about to be written */
	ASSERT(is_structured(op.op));
	l->w = i;
	l->end = i + lower_slots(op.op);
	ASSERT(l->end <= l->out->n);
	lower_one(l, &op);
	for (u32 k = l->w; k < l->end; k++)
		l->out->v[k].op = P_NOP;
}

void lower(InsVec *code, const U32Vec *structured, const Target *t)
{
	Lowerer l = {.out = code, .t = t};
	for (u32 k = 0; k < structured->n; k++)
		lower_at(&l, structured->v[k]);
	thread_jumps(code, &l.jumps, &l.at, &l.skip);
	vec_free(&l.skip);
	vec_free(&l.refs);
	vec_free(&l.at);
	vec_free(&l.jumps);
}
