/* elf.c - writes the linked image as a static, non-PIE ELF64 executable.
 *
 * File layout:  ELF header, program headers, .text, .rodata, .data,
 * .symtab, .strtab, .shstrtab, section headers.  Segments: text R+X,
 * rodata R, data+bss RW, PT_TLS for the tvars' template (inside data, at
 * the start of the initial thread's block), and PT_GNU_STACK (RW) so the
 * stack is never executable.  The template's sections .tdata and .tbss
 * lie within .data: the initial block is ordinary data of the one thread.
 * Nothing in the file depends on time or environment, so the same input
 * always gives the same bytes.
 */
#include "nifasm.h"

#include <errno.h>
#include <stdio.h>

enum {
	PT_LOAD = 1, PT_TLS = 7, PT_GNU_STACK = 0x6474e551,
	PF_X = 1, PF_W = 2, PF_R = 4,
	SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8,
	SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_TLS = 0x400,
	STB_LOCAL = 0, STB_GLOBAL = 1, STT_OBJECT = 1, STT_FUNC = 2, STT_TLS = 6,
	SHN_ABS = 0xfff1,
	EHDR_SIZE = 64, PHDR_SIZE = 56, SHDR_SIZE = 64,
};

typedef struct Section {
	const char *name;
	u32 type;
	u64 flags, addr, off, size;
	u32 link, info;
	u64 align, entsize;
} Section;

/* The file is written as pieces: the headers, the image's sections as
 * they are (no copy), zero padding, and the tables built here. */
enum { MAX_PIECES = 12 };

typedef struct ElfOut {
	Buf head;           /* ELF header and program headers */
	Buf tail;           /* .symtab .strtab .shstrtab and the section headers */
	u8 *zeros;          /* padding between pieces, less than a page */
	Piece pieces[MAX_PIECES];
	u32 npieces;
	u64 len;            /* bytes in pieces so far */
	Buf strtab, shstrtab, symtab;
	Section sec[10];
	u32 nsec;
	u32 sec_text, sec_rodata, sec_data, sec_bss, sec_tdata, sec_tbss;
} ElfOut;

static void put_phdr(Buf *b, u32 type, u32 flags, u64 off, u64 addr, u64 filesz, u64 memsz, u64 align)
{
	buf_le(b, type, 4);
	buf_le(b, flags, 4);
	buf_le(b, off, 8);
	buf_le(b, addr, 8);
	buf_le(b, addr, 8);
	buf_le(b, filesz, 8);
	buf_le(b, memsz, 8);
	buf_le(b, align, 8);
}

/* The loadable segments besides text: an empty one gets no header. */
static bool has_rodata_segment(const Image *img) { return img->rodata.n > 0; }
static bool has_data_segment(const Image *img) { return img->data.n > 0 || img->bss_size > 0; }

/* text, rodata and data+bss when they have bytes, PT_TLS, PT_GNU_STACK */
static u32 phdr_count(const Image *img)
{
	return 2 + has_rodata_segment(img) + has_data_segment(img) + img->tls.used;
}

u64 elf_headers_size(const Image *img)
{
	return EHDR_SIZE + (u64)PHDR_SIZE * phdr_count(img);
}

static void put_ehdr(Buf *b, const Program *p, const Target *t, u64 shoff, u32 shnum)
{
	static const u8 ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
	buf_put(b, ident, 16);
	buf_le(b, 2, 2); /* ET_EXEC */
	buf_le(b, t->elf_machine, 2);
	buf_le(b, 1, 4);
	buf_le(b, p->img.entry, 8);
	buf_le(b, EHDR_SIZE, 8); /* e_phoff: right after this header */
	buf_le(b, shoff, 8);
	buf_le(b, 0, 4);
	buf_le(b, EHDR_SIZE, 2);
	buf_le(b, PHDR_SIZE, 2);
	buf_le(b, phdr_count(&p->img), 2);
	buf_le(b, SHDR_SIZE, 2);
	buf_le(b, shnum, 2);
	buf_le(b, shnum - 1, 2); /* .shstrtab is last */
}

static void put_phdrs(Buf *b, const Image *img, u64 page)
{
	put_phdr(b, PT_LOAD, PF_R | PF_X, img->text_off, img->text_addr, img->text.n, img->text.n, page);
	if (has_rodata_segment(img))
		put_phdr(b, PT_LOAD, PF_R, img->rodata_off, img->rodata_addr, img->rodata.n,
			 img->rodata.n, page);
	if (has_data_segment(img)) {
		u64 memsz = img->bss_addr + img->bss_size - img->data_addr;
		put_phdr(b, PT_LOAD, PF_R | PF_W, img->data_off, img->data_addr, img->data.n, memsz, page);
	}
	const TlsLayout *tls = &img->tls;
	if (tls->used)
		put_phdr(b, PT_TLS, PF_R, img->data_off + tls->off, img->data_addr + tls->off,
			 tls->filesz, tls->memsz, tls->align);
	put_phdr(b, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
}

static u32 add_section(ElfOut *e, Section s)
{
	e->sec[e->nsec] = s;
	return e->nsec++;
}

static void put_piece(ElfOut *e, const void *p, size_t n)
{
	ASSERT(e->npieces < MAX_PIECES);
	e->pieces[e->npieces++] = (Piece){p, n};
	e->len += n;
}

/* Zeros up to file offset off, then the content there. */
static void put_at(ElfOut *e, u64 off, const void *p, size_t n, u64 page)
{
	ASSERT(off >= e->len && off - e->len < page);
	if (off > e->len)
		put_piece(e, e->zeros, off - e->len);
	put_piece(e, p, n);
}

static u32 str_add(Buf *b, const char *s, u32 len)
{
	u32 off = (u32)b->n;
	buf_put(b, s, len);
	buf_byte(b, 0);
	return off;
}

/* A section with no bytes is not written (sec_* is 0), so the empty data
 * in it is an absolute symbol at its address; index 0 would read as
 * undefined. */
static u32 global_section(const ElfOut *e, const Global *gl)
{
	u32 sec;
	switch (gl->kind) {
	case G_PROC:
	case G_ENTRY: sec = e->sec_text; break;
	case G_RODATA: sec = e->sec_rodata; break;
	case G_TVAR: sec = gl->chunk == NONE ? e->sec_tbss : e->sec_tdata; break;
	default: sec = gl->chunk == NONE ? e->sec_bss : e->sec_data; break;
	}
	return sec ? sec : SHN_ABS;
}

/* A symbol with a module suffix (foo.0.m) or the entry is global. */
static bool is_global_symbol(const Program *p, const Global *gl)
{
	return gl->kind == G_ENTRY || is_global_name(p, gl->name);
}

static void put_symbols(ElfOut *e, const Program *p, bool global_pass)
{
	for (u32 g = 0; g < p->globals.n; g++) {
		const Global *gl = &p->globals.v[g];
		if (!gl->reachable || gl->kind == G_TYPE || is_global_symbol(p, gl) != global_pass)
			continue;
		bool code = gl->kind == G_PROC || gl->kind == G_ENTRY;
		u32 size = code ? p->chunks.v[gl->chunk].size : gl->size;
		u8 type = code ? STT_FUNC : gl->kind == G_TVAR ? STT_TLS : STT_OBJECT;
		u32 name = str_add(&e->strtab, name_str(&p->names, gl->name), name_len(&p->names, gl->name));
		buf_le(&e->symtab, name, 4);
		buf_byte(&e->symtab, (u8)((global_pass ? STB_GLOBAL : STB_LOCAL) << 4 | type));
		buf_byte(&e->symtab, 0);
		buf_le(&e->symtab, global_section(e, gl), 2);
		buf_le(&e->symtab, gl->addr, 8);
		buf_le(&e->symtab, size, 8);
	}
}

static u32 build_symtab(ElfOut *e, const Program *p)
{
	buf_byte(&e->strtab, 0);
	buf_zero(&e->symtab, 24); /* the null symbol */
	put_symbols(e, p, false);
	u32 first_global = (u32)(e->symtab.n / 24);
	put_symbols(e, p, true);
	return first_global;
}

/* The TLS template: a tvar symbol's value is its offset in it. */
static void add_tls_sections(ElfOut *e, const Image *img)
{
	const TlsLayout *tls = &img->tls;
	u64 addr = img->data_addr + tls->off, off = img->data_off + tls->off;
	u64 flags = SHF_ALLOC | SHF_WRITE | SHF_TLS;
	if (tls->filesz)
		e->sec_tdata = add_section(e, (Section){".tdata", SHT_PROGBITS, flags, addr, off,
							tls->filesz, 0, 0, tls->align, 0});
	if (tls->memsz > tls->filesz)
		e->sec_tbss = add_section(e, (Section){".tbss", SHT_NOBITS, flags, addr + tls->filesz,
						       off + tls->filesz, tls->memsz - tls->filesz,
						       0, 0, tls->align, 0});
}

static void add_alloc_sections(ElfOut *e, const Image *img)
{
	add_section(e, (Section){0});
	e->sec_text = add_section(e, (Section){".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
					      img->text_addr, img->text_off, img->text.n, 0, 0, 16, 0});
	if (img->rodata.n)
		e->sec_rodata = add_section(e, (Section){".rodata", SHT_PROGBITS, SHF_ALLOC,
							 img->rodata_addr, img->rodata_off,
							 img->rodata.n, 0, 0, img->aligns[0], 0});
	if (img->data.n)
		e->sec_data = add_section(e, (Section){".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
						       img->data_addr, img->data_off, img->data.n,
						       0, 0, img->aligns[1], 0});
	add_tls_sections(e, img);
	if (img->bss_size)
		e->sec_bss = add_section(e, (Section){".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
						      img->bss_addr, img->data_off + img->data.n,
						      img->bss_size, 0, 0, img->aligns[2], 0});
}

static void put_shdr(Buf *b, const Section *s, u32 name)
{
	buf_le(b, s->name ? name : 0, 4);
	buf_le(b, s->type, 4);
	buf_le(b, s->flags, 8);
	buf_le(b, s->addr, 8);
	buf_le(b, s->off, 8);
	buf_le(b, s->size, 8);
	buf_le(b, s->link, 4);
	buf_le(b, s->info, 4);
	buf_le(b, s->align, 8);
	buf_le(b, s->entsize, 8);
}

/* Pads the tail so the file offset after it is a multiple of 8. */
static void align_tail(ElfOut *e)
{
	while ((e->len + e->tail.n) % 8)
		buf_byte(&e->tail, 0);
}

static u64 tail_off(const ElfOut *e) { return e->len + e->tail.n; }

static void put_tables(ElfOut *e, const Program *p)
{
	u32 first_global = build_symtab(e, p);
	Buf *f = &e->tail;
	align_tail(e);
	add_section(e, (Section){".symtab", SHT_SYMTAB, 0, 0, tail_off(e), e->symtab.n, e->nsec + 1,
				 first_global, 8, 24});
	buf_put(f, e->symtab.p, e->symtab.n);
	add_section(e, (Section){".strtab", SHT_STRTAB, 0, 0, tail_off(e), e->strtab.n, 0, 0, 1, 0});
	buf_put(f, e->strtab.p, e->strtab.n);
	Section shstr = {".shstrtab", SHT_STRTAB, 0, 0, 0, 0, 0, 0, 1, 0};
	u32 shstr_idx = add_section(e, shstr);
	u32 names[COUNTOF(e->sec)];
	buf_byte(&e->shstrtab, 0);
	for (u32 i = 0; i < e->nsec; i++)
		names[i] = e->sec[i].name ? str_add(&e->shstrtab, e->sec[i].name,
						    (u32)strlen(e->sec[i].name)) : 0;
	e->sec[shstr_idx].off = tail_off(e);
	e->sec[shstr_idx].size = e->shstrtab.n;
	buf_put(f, e->shstrtab.p, e->shstrtab.n);
	align_tail(e);
	for (u32 i = 0; i < e->nsec; i++)
		put_shdr(f, &e->sec[i], names[i]);
}

static void free_elf(ElfOut *e)
{
	buf_free(&e->head);
	buf_free(&e->tail);
	free(e->zeros);
	buf_free(&e->strtab);
	buf_free(&e->shstrtab);
	buf_free(&e->symtab);
}

/* The loaded part of the file: headers, then each segment at its offset. */
static void put_segments(ElfOut *e, const Program *p, const Target *t)
{
	const Image *img = &p->img;
	buf_zero(&e->head, EHDR_SIZE); /* the ELF header, written last */
	put_phdrs(&e->head, img, t->page);
	put_piece(e, e->head.p, e->head.n);
	put_at(e, img->text_off, img->text.p, img->text.n, t->page);
	if (img->rodata.n)
		put_at(e, img->rodata_off, img->rodata.p, img->rodata.n, t->page);
	put_at(e, img->data_off, img->data.p, img->data.n, t->page);
}

bool write_elf(Program *p, const Target *t, const char *path)
{
	ElfOut e = {0};
	e.zeros = xcalloc(t->page, 1);
	add_alloc_sections(&e, &p->img);
	put_segments(&e, p, t);
	put_tables(&e, p);
	put_piece(&e, e.tail.p, e.tail.n);
	u64 shoff = e.len - (u64)e.nsec * SHDR_SIZE;
	Buf hdr = {0};
	put_ehdr(&hdr, p, t, shoff, e.nsec);
	memcpy(e.head.p, hdr.p, EHDR_SIZE);
	buf_free(&hdr);
	bool ok = write_output_pieces(path, e.pieces, e.npieces, 0755);
	if (!ok)
		error_plain("nifasm", "cannot write %s: %s", path, strerror(errno));
	free_elf(&e);
	return ok;
}
