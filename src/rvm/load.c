/* load.c - reads a bytecode image (see rvm.h), checks every field and
 * turns each word into an Ins for the VM.  After this, the VM never needs
 * to check an opcode, a register number or a view width: only values.
 */
#include "vm.h"

#include <stdio.h>

u32 rvm_line(const Program *prog, u32 index)
{
	return (u32)get_le(prog->lines + 4 * (size_t)MIN(index, prog->n - 1), 4);
}

typedef struct Header {
	u32 n, nconst, pathlen;
	const u8 *words, *consts, *lines, *path;
} Header;

/* A bytecode error: "FILE: error: bytecode: ...", and false. */
#define bad(file, ...) (error_plain((file), "bytecode: " __VA_ARGS__), false)

static bool read_header(const u8 *image, size_t size, const char *file, Header *h)
{
	if (size < RVM_HEADER_SIZE)
		return bad(file, "the file is %zu bytes, shorter than the %d-byte header", size,
			   RVM_HEADER_SIZE);
	if (memcmp(image, RVM_MAGIC, 4) != 0)
		return bad(file, "no rvm magic number");
	if (get_le(image + 4, 4) != RVM_VERSION)
		return bad(file, "version %u, expected %d", (u32)get_le(image + 4, 4), RVM_VERSION);
	h->n = (u32)get_le(image + 8, 4);
	h->nconst = (u32)get_le(image + 12, 4);
	h->pathlen = (u32)get_le(image + 16, 4);
	u64 want = RVM_HEADER_SIZE + 12ull * h->n + 8ull * h->nconst + h->pathlen;
	if (h->n == 0)
		return bad(file, "the program has no instructions");
	if (size != want)
		return bad(file, "the file is %zu bytes, its header describes %llu", size,
			   (unsigned long long)want);
	h->words = image + RVM_HEADER_SIZE;
	h->consts = h->words + 8 * (size_t)h->n;
	h->lines = h->consts + 8 * (size_t)h->nconst;
	h->path = h->lines + 4 * (size_t)h->n;
	const u8 *nul = memchr(h->path, 0, h->pathlen);
	if (nul) /* messages print the path as a C string */
		return bad(file, "the source path has a NUL at its byte %u of %u", (u32)(nul - h->path),
			   h->pathlen);
	return true;
}

/* Checks the register fields and copies them into `ins`; the field after
 * the last register the opcode uses must be zero, and so on.  *full tells
 * whether every register view is 8 bytes wide. */
static bool decode_registers(const char *file, u32 index, u64 w, const char *kinds, Ins *ins,
			     bool *full)
{
	u32 fields[3] = {RVM_GET_A(w), RVM_GET_B(w), RVM_GET_C(w)}, nregs = 0;
	u8 *regs[3] = {&ins->a, &ins->b, &ins->c}, *widths[3] = {&ins->wa, &ins->wb, &ins->wc};
	*full = true;
	for (const char *k = kinds; *k; k++) {
		if (*k != 'R' && *k != 'F')
			continue;
		u32 r = RVM_REG_INDEX(fields[nregs]), wd = RVM_REG_WIDTH(fields[nregs]);
		if (r >= RVM_NGENERAL && wd != W8)
			return bad(file, "instruction %u: %s has a view narrower than 8 bytes", index,
				   r == RVM_FP ? "fp" : "sp");
		if (*k == 'F' && wd < W4)
			return bad(file, "instruction %u: float operand of %u bytes", index, 1u << wd);
		*regs[nregs] = (u8)r;
		*widths[nregs] = (u8)wd;
		*full &= wd == W8;
		nregs++;
	}
	for (u32 i = nregs; i < 3; i++)
		if (fields[i])
			return bad(file, "instruction %u: operand field %c is not zero", index, 'A' + i);
	return true;
}

static bool decode(const Header *h, const char *file, u32 index, Ins *ins)
{
	u64 w = get_le(h->words + 8 * (size_t)index, 8);
	u32 op = RVM_GET_OP(w), k = RVM_GET_K(w);
	if (op >= RVM_NOPS)
		return bad(file, "instruction %u: unknown opcode %u", index, op);
	const char *kinds = rvm_ops[op].ops;
	*ins = (Ins){0};
	if (w & RVM_UNUSED_BITS)
		return bad(file, "instruction %u: unused bits are set", index);
	bool fast;
	if (!decode_registers(file, index, w, kinds, ins, &fast))
		return false;
	if (strchr(kinds, 'K')) {
		if (k >= h->nconst)
			return bad(file, "instruction %u: constant %u of %u", index, k, h->nconst);
		ins->k = get_le(h->consts + 8 * (size_t)k, 8);
	} else if (strchr(kinds, 'L')) {
		ins->k = k;
		fast &= k < h->n; /* the general handler reports the bad jump */
	} else if (k) {
		return bad(file, "instruction %u: field K is not zero", index);
	}
	ins->handler = (u16)(2 * op + fast);
	return true;
}

bool rvm_load(const u8 *image, size_t size, const char *file, Program *prog)
{
	Header h = {0};
	if (!read_header(image, size, file, &h))
		return false;
	Ins *code = xmalloc(((size_t)h.n + 1) * sizeof(Ins));
	for (u32 i = 0; i < h.n; i++) {
		if (!decode(&h, file, i, &code[i])) {
			free(code);
			return false;
		}
	}
	code[h.n] = (Ins){.handler = RVM_H_END};
	*prog = (Program){.code = code, .n = h.n, .lines = h.lines,
			  .path = (const char *)h.path, .pathlen = h.pathlen};
	return true;
}
