/* relax.c - encodes one proc into a code chunk and relaxes its jumps.
 *
 * Instructions are encoded into a scratch buffer in which every jump to a
 * label takes no bytes yet.  Positions recorded on the way (labels, fixups,
 * listing lines) remember how many jumps came before them, so their final
 * offset is  scratch offset + total size of those jumps.
 *
 * Relaxation starts with every jump short (a call near) and makes a jump
 * near when its displacement does not fit in a byte.  One pass over the
 * jumps with those sizes finds the jumps that do not fit (when none does,
 * as in most procs, that pass is all).  After it, a growing jump changes
 * the displacements of only the short jumps whose span (the jumps between
 * a jump and its label) holds it, and those lie within 64 jumps of it,
 * since a short jump spans at most 128 bytes and every jump takes 2 or
 * more.  So each jump that grows (once: short to near) updates its few
 * neighbours' displacements, and the work is linear in the jumps however
 * the growth cascades.  Passes over all the jumps, repeated until none
 * grew, as relaxation was until 2026-11-22, were quadratic in a chain of
 * jumps each of which grows only once the next has grown.
 *
 * It chooses the sizes those passes chose.  A displacement only moves away
 * from zero as jumps grow, so the jumps that must be near with some sizes
 * must be near with any larger ones, and the passes, starting from the
 * smallest sizes, found the least sizes that are consistent (no short jump
 * out of range).  Here too a jump grows only when its displacement does
 * not fit with sizes no larger than the final ones (the growth applied so
 * far), so it is near in the least consistent sizes as well; and it stops
 * only when every short jump fits with all the growth applied, which is
 * consistent: the least sizes, no more.
 */
#include "../nifasm.h"
#include "amd64int.h"

#include <stdlib.h>

typedef struct Jump {
	u32 at;    /* scratch offset */
	u32 label;
	u16 form;
	u8 size[2]; /* short, near */
	bool near;
	i16 disp;   /* while short: its displacement with the growth applied so far */
} Jump;

/* Every jump takes at least an opcode and a rel8, which bounds how many
 * jumps a short one can span. */
enum { MIN_JUMP = 2 };

typedef struct Mark {
	u32 off;    /* scratch offset */
	u32 njumps; /* jumps emitted before it */
} Mark;

struct Encoder {
	Buf tmp;
	VEC(Jump) jumps;
	VEC(u32) before;  /* before[k] = total size of jumps 0..k-1 */
	VEC(Mark) labels; /* by label id; off == NONE when not (yet) defined */
	VEC(u32) grown;   /* jumps made near whose growth the disps do not hold yet */
	VEC(Fixup) fixups;
	VEC(u32) fixk;
	VEC(ListEntry) list;
	VEC(u32) listk;
};

/* Scratch state reused for every chunk so encoding allocates nothing in
 * steady state. */
static Encoder scratch;

void encoder_fixup(Encoder *e, Fixup fx)
{
	vec_push(&e->fixups, fx);
	vec_push(&e->fixk, e->jumps.n);
}

void encoder_jump(Encoder *e, const Ins *ins, u32 label, u32 short_size, u32 near_size, u32 at)
{
	if (UNLIKELY(near_size < MIN_JUMP || (short_size && short_size < MIN_JUMP)))
		die("a jump of %u (short) or %u (near) bytes: relax takes every jump to have %u or more",
		    short_size, near_size, (u32)MIN_JUMP);
	/* a branch without a short form (call) starts near */
	Jump j = {at, label, ins->form, {(u8)short_size, (u8)near_size}, short_size == 0, 0};
	vec_push(&e->jumps, j);
}

static void define_label(Encoder *e, u32 id)
{
	vec_cover(&e->labels, id, ((Mark){NONE, 0}));
	e->labels.v[id] = (Mark){(u32)e->tmp.n, e->jumps.n};
}

static u32 jump_size(const Jump *j) { return j->size[j->near]; }

static void sum_sizes(Encoder *e)
{
	u32 n = e->jumps.n;
	vec_reserve(&e->before, n + 1);
	u32 sum = 0;
	for (u32 k = 0; k < n; k++) {
		e->before.v[k] = sum;
		sum += jump_size(&e->jumps.v[k]);
	}
	e->before.v[n] = sum;
}

static u32 final_off(const Encoder *e, u32 off, u32 k) { return off + e->before.v[k]; }

static i64 jump_disp(const Encoder *e, u32 k)
{
	const Jump *j = &e->jumps.v[k];
	const Mark *l = &e->labels.v[j->label];
	i64 end = final_off(e, j->at, k) + jump_size(j);
	return (i64)final_off(e, l->off, l->njumps) - end;
}

/* The checker reports jumps to undefined labels; one here is a bug. */
static void check_targets(const Encoder *e)
{
	for (u32 k = 0; k < e->jumps.n; k++) {
		u32 label = e->jumps.v[k].label;
		if (label >= e->labels.n || e->labels.v[label].off == NONE)
			die("jump to undefined label %u survived checking", label);
	}
}

/* Every short jump against the first sizes; true if one grew.  It only
 * marks the jumps it makes near: pushing them on e->grown here, a call
 * the loop might make, would cost the loop its registers. */
static bool first_pass(Encoder *e)
{
	sum_sizes(e);
	bool grew = false;
	for (u32 k = 0, n = e->jumps.n; k < n; k++) {
		Jump *j = &e->jumps.v[k];
		if (j->near)
			continue;
		i64 d = jump_disp(e, k);
		j->disp = (i16)d; /* unused once near */
		if (d != (i8)d)
			j->near = grew = true;
	}
	return grew;
}

/* Queues the jumps first_pass made near (those with a short form). */
static void queue_grown(Encoder *e)
{
	for (u32 k = 0; k < e->jumps.n; k++)
		if (e->jumps.v[k].near && e->jumps.v[k].size[0])
			vec_push(&e->grown, k);
}

static void make_near(Encoder *e, u32 k)
{
	e->jumps.v[k].near = true;
	vec_push(&e->grown, k);
}

/* A short jump's new displacement d: kept while it fits in a byte, else
 * the jump becomes near. */
static void set_disp(Encoder *e, u32 k, i32 d)
{
	if (d != (i8)d)
		make_near(e, k);
	else
		e->jumps.v[k].disp = (i16)d;
}

static u32 target_njumps(const Encoder *e, const Jump *j) { return e->labels.v[j->label].njumps; }

/* A jump k before g spans g when its label comes after g; its label is
 * then at or after g in the scratch buffer, so its displacement is at
 * least the scratch bytes from k to g plus MIN_JUMP for each of the g - k
 * jumps after k up to g.  Past 127 no earlier jump can be short and span g. */
static void widen_before(Encoder *e, u32 g, i32 growth)
{
	u32 at = e->jumps.v[g].at;
	for (u32 k = g; k-- > 0;) {
		const Jump *j = &e->jumps.v[k];
		if ((u64)(at - j->at) + (u64)MIN_JUMP * (g - k) > 127)
			break;
		if (!j->near && target_njumps(e, j) > g)
			set_disp(e, k, j->disp + growth);
	}
}

/* A jump k after g spans g when its label comes before g (a backward
 * jump spans itself): its displacement is at most minus the scratch bytes
 * from g to k and MIN_JUMP for each of the k - g + 1 jumps from g to k.
 * Below -128 no later jump can be short and span g. */
static void widen_after(Encoder *e, u32 g, i32 growth)
{
	u32 at = e->jumps.v[g].at;
	for (u32 k = g + 1; k < e->jumps.n; k++) {
		const Jump *j = &e->jumps.v[k];
		if ((u64)(j->at - at) + (u64)MIN_JUMP * (k - g + 1) > 128)
			break;
		if (!j->near && target_njumps(e, j) <= g)
			set_disp(e, k, j->disp - growth);
	}
}

/* Applies each grown jump's growth to the short jumps that span it, which
 * may make more of them near, until none is left. */
static void spread_growth(Encoder *e)
{
	while (e->grown.n) {
		u32 g = e->grown.v[--e->grown.n];
		const Jump *j = &e->jumps.v[g];
		i32 growth = j->size[1] - j->size[0];
		widen_before(e, g, growth);
		widen_after(e, g, growth);
	}
}

static void relax(Encoder *e)
{
	check_targets(e);
	if (!first_pass(e))
		return; /* the sizes summed are the final ones */
	queue_grown(e);
	spread_growth(e);
	sum_sizes(e);
}

static void emit_final(Encoder *e, Buf *out)
{
	u32 from = 0;
	for (u32 k = 0; k < e->jumps.n; k++) {
		const Jump *j = &e->jumps.v[k];
		buf_put(out, e->tmp.p + from, j->at - from);
		amd64_put_branch(out, &amd64_forms[j->form], j->near, (i32)jump_disp(e, k));
		from = j->at;
	}
	buf_put(out, e->tmp.p + from, e->tmp.n - from);
}

static void encode_all(Encoder *e, Program *p, const InsVec *code)
{
	for (u32 i = 0; i < code->n; i++) {
		const Ins *ins = &code->v[i];
		if (UNLIKELY(ins->op >= P_NOP)) { /* P_NOP and P_LABEL: only the pseudo-ops left */
			if (ins->op == P_LABEL)
				define_label(e, ins->o[0].sym);
			continue;
		}
		u32 start = (u32)e->tmp.n, k = e->jumps.n;
		if (amd64_forms[ins->form].enc == E_D)
			amd64_branch(e, &e->tmp, ins);
		else
			amd64_emit(e, &e->tmp, ins);
		if (p->listing) {
			ListEntry le = {0, start, (u32)e->tmp.n - start, ins->pos};
			vec_push(&e->list, le);
			vec_push(&e->listk, k);
		}
	}
}

static void reset(Encoder *e)
{
	e->tmp.n = 0;
	e->jumps.n = e->labels.n = e->fixups.n = e->fixk.n = e->list.n = e->listk.n = 0;
}

/* Moves fixups and listing lines to their final offsets in p. */
static void publish(Encoder *e, Program *p, Chunk *c)
{
	c->fix_first = p->fixups.n;
	for (u32 i = 0; i < e->fixups.n; i++) {
		Fixup fx = e->fixups.v[i];
		fx.off = final_off(e, fx.off, e->fixk.v[i]);
		vec_push(&p->fixups, fx);
	}
	c->nfix = p->fixups.n - c->fix_first;
	for (u32 i = 0; i < e->list.n; i++) {
		ListEntry le = e->list.v[i];
		u32 k = e->listk.v[i];
		le.chunk = p->chunks.n;
		le.off = final_off(e, le.off, k);
		if (k < e->jumps.n && e->jumps.v[k].at == e->list.v[i].off && le.len == 0)
			le.len = jump_size(&e->jumps.v[k]);
		vec_push(&p->list, le);
	}
}

u32 amd64_encode(Program *p, InsVec *code, u32 global, u32 file)
{
	Encoder *e = &scratch;
	reset(e);
	encode_all(e, p, code);
	relax(e);
	Chunk c = {.global = global, .file = file, .code_off = (u32)p->text.n};
	emit_final(e, &p->text);
	c.size = (u32)p->text.n - c.code_off;
	publish(e, p, &c);
	vec_push(&p->chunks, c);
	return p->chunks.n - 1;
}

void amd64_encoder_free(void)
{
	buf_free(&scratch.tmp);
	vec_free(&scratch.jumps);
	vec_free(&scratch.before);
	vec_free(&scratch.labels);
	vec_free(&scratch.grown);
	vec_free(&scratch.fixups);
	vec_free(&scratch.fixk);
	vec_free(&scratch.list);
	vec_free(&scratch.listk);
}
