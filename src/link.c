/* link.c - from code chunks and data to a laid-out image.
 *
 * 1. Reachability: starting from the entry, follow every fixup; procs and
 *    data the entry cannot reach are left out.
 * 2. Layout: text (the TLS setup when a tvar is reachable, the entry, then
 *    procs in definition order, 16-byte aligned, padded with int3), rodata,
 *    data (gvars, then the initial thread's TLS block and TCB), bss.  Each segment starts on
 *    a fresh page in memory while the file stays compact: a segment's
 *    address is congruent to its file offset modulo the page size.
 * 3. Fixups: every 32-bit PC-relative reference and thread-pointer offset
 *    is patched.
 * Code reaches data only through those references, so the image, from
 * the first byte of code to the last of bss, must stay below 2 GiB
 * (IMAGE_REACH); beyond that, and for a reference whose offset takes it
 * out of reach, the user gets an error at the global.
 */
#include "nifasm.h"

#include <stdio.h>

enum { CODE_ALIGN = 16 };
#define IMAGE_REACH ((u64)1 << 31)

static void mark(Program *p, U32Vec *work, u32 g)
{
	Global *gl = &p->globals.v[g];
	if (gl->reachable)
		return;
	gl->reachable = true;
	if (gl->kind == G_PROC || gl->kind == G_ENTRY)
		vec_push(work, g);
}

static void mark_reachable(Program *p)
{
	U32Vec work = {0};
	mark(p, &work, p->entry);
	while (work.n) {
		u32 g = work.v[--work.n];
		const Chunk *c = &p->chunks.v[p->globals.v[g].chunk];
		for (u32 i = 0; i < c->nfix; i++)
			mark(p, &work, p->fixups.v[c->fix_first + i].global);
	}
	vec_free(&work);
}

/* A reachable proc's chunk (not the head's, which goes first). */
static bool placed(const Program *p, const Chunk *c)
{
	u8 kind = p->globals.v[c->global].kind;
	return p->globals.v[c->global].reachable && kind != G_ENTRY && kind != G_TCB;
}

/* The chunk of the TLS setup, or NONE. */
static u32 setup_chunk(const Program *p)
{
	return p->img.tls.used ? p->globals.v[p->img.tls.tcb].chunk : NONE;
}

/* The code that runs first, from offset 0: the TLS setup if any, which
 * falls through into the entry.  Returns its end. */
static u32 place_head(Program *p)
{
	u32 end = 0, setup = setup_chunk(p);
	if (setup != NONE) {
		p->chunks.v[setup].addr = 0;
		end = p->chunks.v[setup].size;
	}
	Chunk *ec = &p->chunks.v[p->globals.v[p->entry].chunk];
	ec->addr = end;
	return end + ec->size;
}

/* The text section's layout: the head at 0, then the reachable procs in
 * definition order, each 16-byte aligned.  Sets every reachable chunk's
 * section offset (its address for now); returns the section's size. */
static u32 place_chunks(Program *p)
{
	u32 end = place_head(p);
	for (u32 i = 0; i < p->chunks.n; i++) {
		Chunk *c = &p->chunks.v[i];
		if (!placed(p, c))
			continue;
		c->addr = align_up(end, CODE_ALIGN);
		end = (u32)(c->addr + c->size);
	}
	return end;
}

/* Moves the procs' chunks to their places in the same buffer.  Their order
 * does not change, so the ones that move up can go last one first and then
 * the ones that move down first one first, and no chunk overwrites one that
 * has not moved yet. */
static void move_chunks(Program *p)
{
	u8 *t = p->text.p;
	for (u32 i = p->chunks.n; i-- > 0;) {
		const Chunk *c = &p->chunks.v[i];
		if (placed(p, c) && c->addr > c->code_off)
			memmove(t + c->addr, t + c->code_off, c->size);
	}
	for (u32 i = 0; i < p->chunks.n; i++) {
		const Chunk *c = &p->chunks.v[i];
		if (placed(p, c) && c->addr < c->code_off)
			memmove(t + c->addr, t + c->code_off, c->size);
	}
}

/* int3 between the chunks, from the head's end up to each chunk's start. */
static void pad_chunks(Program *p, u32 from)
{
	for (u32 i = 0; i < p->chunks.n; i++) {
		const Chunk *c = &p->chunks.v[i];
		if (!placed(p, c))
			continue;
		memset(p->text.p + from, 0xCC, c->addr - from);
		from = (u32)(c->addr + c->size);
	}
}

/* Lays the reachable chunks out in place: the code buffer becomes the text
 * section, so the code is never held twice. */
static void layout_text(Program *p)
{
	const Chunk *ec = &p->chunks.v[p->globals.v[p->entry].chunk];
	u32 setup = setup_chunk(p);
	u32 size = place_chunks(p);
	Buf stub = {0}; /* the head's bytes, usually after the procs */
	if (setup != NONE)
		buf_put(&stub, p->text.p + p->chunks.v[setup].code_off, p->chunks.v[setup].size);
	buf_put(&stub, p->text.p + ec->code_off, ec->size);
	buf_room(&p->text, size > p->text.n ? size - p->text.n : 0);
	move_chunks(p);
	pad_chunks(p, (u32)stub.n);
	if (stub.n) /* stub.p is NULL when empty */
		memcpy(p->text.p, stub.p, stub.n);
	buf_free(&stub);
	p->text.n = size;
	p->img.text = p->text;
	p->text = (Buf){0};
}

/* Copies reachable data of one kind into its section out (NULL for bss,
 * which has no bytes: then *size is the section's size); returns its
 * alignment.  Offsets are 64-bit: a few big globals pass 4 GiB, which
 * check_reach reports. */
static u32 layout_data(Program *p, GlobalKind kind, bool bss, Buf *pool, Buf *out, u64 *size)
{
	u32 align = 1;
	u64 n = size ? *size : 0; /* tbss follows tdata */
	for (u32 g = 0; g < p->globals.n; g++) {
		Global *gl = &p->globals.v[g];
		bool in_bss = (gl->kind == G_GVAR || gl->kind == G_TVAR) && gl->chunk == NONE;
		if (!gl->reachable || gl->kind != kind || in_bss != bss)
			continue;
		n = align_up(n, gl->align);
		align = MAX(align, gl->align);
		if (out) {
			buf_zero(out, n - out->n);
			if (gl->size)	/* an empty pool has no bytes, p may be NULL */
				buf_put(out, pool->p + gl->chunk, gl->size);
		}
		gl->addr = n;
		n += gl->size;
	}
	if (size)
		*size = n;
	return align;
}

static bool any_tvar(const Program *p)
{
	for (u32 g = 0; g < p->globals.n; g++)
		if (p->globals.v[g].reachable && p->globals.v[g].kind == G_TVAR)
			return true;
	return false;
}

/* With a reachable tvar, the TCB global and the code that points fs at it. */
static void add_tcb(Program *p, const Target *t)
{
	TlsLayout *tls = &p->img.tls;
	tls->used = any_tvar(p);
	if (!tls->used)
		return;
	u32 name = intern(&p->names, "_tcb", 4);
	tls->tcb = p->globals.n;
	vec_push(&p->globals, ((Global){.kind = G_TCB, .defined = true, .reachable = true,
					.name = name, .decl = NONE, .type = T_RAW8, .size = 8,
					.align = 8}));
	p->globals.v[tls->tcb].chunk = t->tls_setup(p, tls->tcb);
}

/* The TLS template (tdata then tbss, offsets from its start in each tvar's
 * addr) and, after the gvars in data, the initial thread's block: a copy
 * of the template, zeros, then the TCB at the aligned end.  The block is
 * aligned to its largest tvar, and at least 8 so the TCB is aligned.
 * Returns the alignment the data section needs. */
static u32 layout_tls(Program *p)
{
	TlsLayout *tls = &p->img.tls;
	Buf *data = &p->img.data, tmpl = {0};
	u32 tdata_align = layout_data(p, G_TVAR, false, &p->tdata, &tmpl, NULL);
	u64 memsz = tmpl.n;
	u32 tbss_align = layout_data(p, G_TVAR, true, NULL, NULL, &memsz);
	tls->align = MAX(8, MAX(tdata_align, tbss_align)); /* MAX evaluates twice */
	tls->filesz = tmpl.n;
	tls->memsz = memsz;
	tls->block = align_up(memsz, tls->align);
	tls->off = align_up(data->n, tls->align);
	buf_zero(data, tls->off - data->n);
	if (tmpl.n)
		buf_put(data, tmpl.p, tmpl.n);
	buf_zero(data, tls->off + tls->block + 8 - data->n); /* tbss, padding, the TCB */
	buf_free(&tmpl);
	return tls->align;
}

/* The TCB holds its own address: fs:0 gives the thread pointer. */
static void fill_tcb(Program *p)
{
	const TlsLayout *tls = &p->img.tls;
	put_le(p->img.data.p + tls->off + tls->block, p->globals.v[tls->tcb].addr, 8);
}

static void assign_addresses(Program *p, const Target *t)
{
	Image *img = &p->img;
	const u32 *aligns = img->aligns;
	u64 off = align_up(elf_headers_size(img), CODE_ALIGN);
	img->text_off = off;
	img->text_addr = t->base_addr + off;
	u64 vend = img->text_addr + img->text.n;
	off += img->text.n;
	off = align_up(off, aligns[0]);
	img->rodata_off = off;
	img->rodata_addr = align_up(vend, t->page) + off % t->page;
	if (img->rodata.n)
		vend = img->rodata_addr + img->rodata.n, off += img->rodata.n;
	off = align_up(off, MAX(aligns[1], aligns[2]));
	img->data_off = off;
	img->data_addr = align_up(vend, t->page) + off % t->page;
	img->bss_addr = align_up(img->data_addr + img->data.n, aligns[2]);
}

static void relocate_globals(Program *p)
{
	Image *img = &p->img;
	for (u32 g = 0; g < p->globals.n; g++) {
		Global *gl = &p->globals.v[g];
		if (!gl->reachable)
			continue;
		if (gl->kind == G_PROC || gl->kind == G_ENTRY)
			gl->addr = img->text_addr + p->chunks.v[gl->chunk].addr;
		else if (gl->kind == G_RODATA)
			gl->addr += img->rodata_addr;
		else if (gl->kind == G_GVAR)
			gl->addr += gl->chunk == NONE ? img->bss_addr : img->data_addr;
		else if (gl->kind == G_TCB)
			gl->addr = img->data_addr + img->tls.off + img->tls.block;
	}
	for (u32 i = 0; i < p->chunks.n; i++)
		if (p->globals.v[p->chunks.v[i].global].reachable)
			p->chunks.v[i].addr += img->text_addr;
}

static SrcFile *global_file(const Program *p, const Global *gl)
{
	return p->files.v[gl->file];
}

/* The reachable global that first ends beyond IMAGE_REACH, if any, is
 * reported: the ones after it are out of reach because of it. */
static bool check_reach(Program *p)
{
	const Global *first = NULL;
	for (u32 g = 0; g < p->globals.n; g++) {
		const Global *gl = &p->globals.v[g];
		bool data = gl->kind == G_RODATA || gl->kind == G_GVAR || gl->kind == G_TCB;
		if (gl->reachable && data && gl->addr + gl->size - p->img.text_addr > IMAGE_REACH &&
		    (!first || gl->addr < first->addr))
			first = gl;
	}
	if (!first)
		return true;
	error_at(global_file(p, first), first->pos,
		 "%s does not fit: it would end %llu bytes after the start of the code, beyond "
		 "the 2 GiB that 32-bit PC-relative references reach",
		 name_str(&p->names, first->name),
		 (unsigned long long)(first->addr + first->size - p->img.text_addr));
	return false;
}

/* Reported at the referring instruction, with a note at the global. */
static bool fixup_out_of_reach(Program *p, const Chunk *c, const Fixup *fx)
{
	const Global *to = &p->globals.v[fx->global];
	error_at(p->files.v[c->file], fx->pos,
		 "this reference to %s is out of reach: with its offset it lies more than "
		 "2 GiB away (%s)", name_str(&p->names, to->name),
		 fx->kind == FIX_TPOFF ? "from the thread pointer" : "32-bit PC-relative");
	note_at(global_file(p, to), to->pos, "%s is declared here", name_str(&p->names, to->name));
	return false;
}

/* Patches every reference; a user offset (mem g.0 +N) can still take one
 * out of reach. */
static bool apply_fixups(Program *p)
{
	for (u32 i = 0; i < p->chunks.n; i++) {
		const Chunk *c = &p->chunks.v[i];
		if (!p->globals.v[c->global].reachable)
			continue;
		for (u32 k = 0; k < c->nfix; k++) {
			const Fixup *fx = &p->fixups.v[c->fix_first + k];
			u64 at = c->addr + fx->off, to = p->globals.v[fx->global].addr;
			i64 v = fx->kind == FIX_TPOFF ? tls_tpoff(&p->img.tls, to) + fx->addend
						      : (i64)(to + (u64)(i64)fx->addend - at);
			if (v != (i32)v)
				return fixup_out_of_reach(p, c, fx);
			put_le(p->img.text.p + (at - p->img.text_addr), (u64)v, 4);
		}
	}
	return true;
}

bool link_program(Program *p, const Target *t)
{
	if (p->entry == NONE)
		die("link_program without an entry");
	Image *img = &p->img;
	mark_reachable(p);
	add_tcb(p, t);
	layout_text(p);
	u32 *aligns = img->aligns;
	aligns[0] = layout_data(p, G_RODATA, false, &p->rodata, &img->rodata, NULL);
	aligns[1] = layout_data(p, G_GVAR, false, &p->data, &img->data, NULL);
	if (img->tls.used) {
		u32 tls_align = layout_tls(p);
		aligns[1] = MAX(aligns[1], tls_align);
	}
	img->bss_size = 0;
	aligns[2] = layout_data(p, G_GVAR, true, NULL, NULL, &img->bss_size);
	assign_addresses(p, t);
	relocate_globals(p);
	if (img->tls.used)
		fill_tcb(p);
	img->entry = img->text_addr; /* the head */
	return check_reach(p) && apply_fixups(p);
}
