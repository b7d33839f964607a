/* relax.c - encodes one proc into a code chunk and relaxes its jumps.
 *
 * Instructions are encoded into a scratch buffer in which every jump to a
 * label takes no bytes yet.  Positions recorded on the way (labels, fixups,
 * listing lines) remember how many jumps came before them, so their final
 * offset is  scratch offset + total size of those jumps.  Relaxation starts
 * with every jump short and makes a jump near when its displacement does not
 * fit in a byte, until nothing changes; sizes only grow, so it terminates.
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
} Jump;

typedef struct Mark {
	u32 off;    /* scratch offset */
	u32 njumps; /* jumps emitted before it */
} Mark;

struct Encoder {
	Buf tmp;
	VEC(Jump) jumps;
	VEC(u32) before;  /* before[k] = total size of jumps 0..k-1 */
	VEC(Mark) labels; /* by label id; off == NONE when not (yet) defined */
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
	/* a branch without a short form (call) starts near */
	Jump j = {at, label, ins->form, {(u8)short_size, (u8)near_size}, short_size == 0};
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
	vec_reserve(&e->before, e->jumps.n + 1);
	u32 sum = 0;
	for (u32 k = 0; k < e->jumps.n; k++) {
		e->before.v[k] = sum;
		sum += jump_size(&e->jumps.v[k]);
	}
	e->before.v[e->jumps.n] = sum;
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

static void relax(Encoder *e)
{
	check_targets(e);
	for (bool changed = true; changed;) {
		changed = false;
		sum_sizes(e);
		for (u32 k = 0; k < e->jumps.n; k++) {
			Jump *j = &e->jumps.v[k];
			i64 d = jump_disp(e, k);
			if (!j->near && d != (i8)d)
				j->near = changed = true;
		}
	}
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
	vec_free(&scratch.fixups);
	vec_free(&scratch.fixk);
	vec_free(&scratch.list);
	vec_free(&scratch.listk);
}
