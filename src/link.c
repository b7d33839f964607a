/* link.c - from code chunks and data to a laid-out image.
 *
 * 1. Reachability: starting from the entry, follow every fixup; procs and
 *    data the entry cannot reach are left out.
 * 2. Layout: text (entry first, then procs in definition order, 16-byte
 *    aligned, padded with int3), rodata, data, bss.  Each segment starts on
 *    a fresh page in memory while the file stays compact: a segment's
 *    address is congruent to its file offset modulo the page size.
 * 3. Fixups: every 32-bit PC-relative reference is patched.
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

/* A reachable proc's chunk (not the entry's, which goes first). */
static bool placed(const Program *p, const Chunk *c)
{
	return p->globals.v[c->global].reachable && p->globals.v[c->global].kind != G_ENTRY;
}

/* The text section's layout: the entry at 0, then the reachable procs in
 * definition order, each 16-byte aligned.  Sets every reachable chunk's
 * section offset (its address for now); returns the section's size. */
static u32 place_chunks(Program *p, u32 entry)
{
	Chunk *ec = &p->chunks.v[entry];
	ec->addr = 0;
	u32 end = ec->size;
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

/* int3 between the chunks, from `from` up to each chunk's start. */
static void pad_chunks(Program *p, u32 entry)
{
	u32 from = p->chunks.v[entry].size;
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
	u32 entry = p->globals.v[p->entry].chunk;
	const Chunk *ec = &p->chunks.v[entry];
	u32 size = place_chunks(p, entry);
	Buf stub = {0}; /* the entry's bytes, usually after the procs */
	buf_put(&stub, p->text.p + ec->code_off, ec->size);
	buf_room(&p->text, size > p->text.n ? size - p->text.n : 0);
	move_chunks(p);
	pad_chunks(p, entry);
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
	u64 n = 0;
	for (u32 g = 0; g < p->globals.n; g++) {
		Global *gl = &p->globals.v[g];
		bool in_bss = gl->kind == G_GVAR && gl->chunk == NONE;
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

static void assign_addresses(Program *p, const Target *t, u32 aligns[3])
{
	Image *img = &p->img;
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
		bool data = gl->kind == G_RODATA || gl->kind == G_GVAR;
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
		 "2 GiB away (32-bit PC-relative)", name_str(&p->names, to->name));
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
			u64 at = c->addr + fx->off;
			i64 v = (i64)(p->globals.v[fx->global].addr + (u64)(i64)fx->addend - at);
			if (v != (i32)v)
				return fixup_out_of_reach(p, c, fx);
			u8 *dst = p->img.text.p + (at - p->img.text_addr);
			for (int b = 0; b < 4; b++)
				dst[b] = (u8)((u32)v >> (8 * b));
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
	layout_text(p);
	u32 aligns[3];
	aligns[0] = layout_data(p, G_RODATA, false, &p->rodata, &img->rodata, NULL);
	aligns[1] = layout_data(p, G_GVAR, false, &p->data, &img->data, NULL);
	aligns[2] = layout_data(p, G_GVAR, true, NULL, NULL, &img->bss_size);
	assign_addresses(p, t, aligns);
	relocate_globals(p);
	img->entry = p->globals.v[p->entry].addr;
	return check_reach(p) && apply_fixups(p);
}
