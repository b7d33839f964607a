/* image.c - the cpu8 binary format: the assembler writes it, the simulator
 * reads it.
 *
 *   offset      size   contents
 *   0           4      magic "cpu8"
 *   4           1      format version (1)
 *   5           1      0 (reserved)
 *   6           2      N, the number of instructions (0-256), little endian
 *   8           2N     the instruction words (cpu8.h), little endian
 *   8+2N        4N     the source line of each instruction (0: unknown),
 *                      little endian, for runtime errors
 */
#include "cpu8.h"

enum { IMAGE_VERSION = 1, HEADER_SIZE = 8, WORD_SIZE = 2, LINE_SIZE = 4 };

const Cpu8OpInfo cpu8_ops[CPU8_NOPS] = {
#define OP_INFO(name, spelling, code, fn, fmt, slots, alu) {spelling, code, fn, FMT_##fmt, slots},
	CPU8_OPS(OP_INFO)
#undef OP_INFO
};

static u16 encode(const Cpu8Ins *in)
{
	const Cpu8OpInfo *info = &cpu8_ops[in->op];
	unsigned w = PUT_FIELD(info->code, POS_OP, SIZE_OP);
	switch (info->format) {
	case FMT_RRR:
		w |= PUT_FIELD(in->d, POS_D, SIZE_D) | PUT_FIELD(in->a, POS_A, SIZE_A) |
		     PUT_FIELD(in->b, POS_B, SIZE_B);
		break;
	case FMT_RI:
	case FMT_CL: w |= PUT_FIELD(in->d, POS_D, SIZE_D) | PUT_FIELD(in->imm, POS_IMM, SIZE_IMM); break;
	case FMT_R: w |= PUT_FIELD(in->d, POS_D, SIZE_D); break;
	case FMT_L: w |= PUT_FIELD(in->imm, POS_IMM, SIZE_IMM); break;
	case FMT_NONE: w |= PUT_FIELD(info->fn, POS_D, SIZE_D); break;
	}
	return (u16)w;
}

void cpu8_write_image(const Cpu8Prog *prog, Buf *image)
{
	ASSERT(prog->ins.n <= CPU8_MAX_PROGRAM);
	buf_put(image, "cpu8", 4);
	buf_byte(image, IMAGE_VERSION);
	buf_byte(image, 0);
	buf_le(image, prog->ins.n, 2);
	for (u32 k = 0; k < prog->ins.n; k++)
		buf_le(image, encode(&prog->ins.v[k]), WORD_SIZE);
	for (u32 k = 0; k < prog->ins.n; k++)
		buf_le(image, prog->ins.v[k].line, LINE_SIZE);
}

/* ---- reading ----------------------------------------------------------------- */

static bool valid_reg(unsigned r) { return r < CPU8_NREGS; }

static bool valid_cond(unsigned c)
{
	return (c & ~(unsigned)CPU8_COND_NOT) < CPU8_NFLAGS;
}

/* The op a word encodes, or -1: ops sharing an opcode differ in fn. */
static int decode_op(unsigned w)
{
	for (int op = 0; op < CPU8_NOPS; op++)
		if (cpu8_ops[op].code == W_OP(w) && (cpu8_ops[op].fn < 0 || (unsigned)cpu8_ops[op].fn == W_D(w)))
			return op;
	return -1;
}

/* Decodes one word; returns NULL or what is wrong with it. */
static const char *decode(unsigned w, Cpu8Ins *in)
{
	int op = decode_op(w);
	if (op < 0)
		return "unknown operation";
	in->op = (u8)op;
	in->d = (u8)W_D(w), in->a = (u8)W_A(w), in->b = (u8)W_B(w), in->imm = (u8)W_IMM(w);
	switch (cpu8_ops[op].format) {
	case FMT_RRR:
		return valid_reg(in->d) && valid_reg(in->a) && valid_reg(in->b) ? NULL : "bad register";
	case FMT_RI: return valid_reg(in->d) ? NULL : "bad register";
	case FMT_R: return !valid_reg(in->d) ? "bad register" : in->imm ? "unused bits set" : NULL;
	case FMT_CL: return valid_cond(in->d) ? NULL : "bad condition";
	case FMT_L: return in->d ? "unused bits set" : NULL;
	case FMT_NONE: return in->imm ? "unused bits set" : NULL;
	}
	die("bad format");
}

/* A malformed binary: "PATH: error: not a valid cpu8 binary: ...", and
 * false (as rvm's loader does it). */
#define bad_image(path, ...) (error_plain((path), "not a valid cpu8 binary: " __VA_ARGS__), false)

bool cpu8_read_image(const u8 *image, size_t n, const char *path, Cpu8Prog *prog)
{
	if (n < HEADER_SIZE || memcmp(image, "cpu8", 4) != 0)
		return bad_image(path, "no cpu8 header");
	if (image[4] != IMAGE_VERSION || image[5] != 0)
		return bad_image(path, "format version %u.%u, expected 1.0", image[4], image[5]);
	u32 count = (u32)get_le(image + 6, 2);
	if (count > CPU8_MAX_PROGRAM)
		return bad_image(path, "%u instructions, at most %u", count, CPU8_MAX_PROGRAM);
	if (n != HEADER_SIZE + (size_t)count * (WORD_SIZE + LINE_SIZE))
		return bad_image(path, "%zu bytes for %u instructions", n, count);
	const u8 *lines = image + HEADER_SIZE + count * WORD_SIZE;
	for (u32 k = 0; k < count; k++) {
		u32 w = (u32)get_le(image + HEADER_SIZE + k * WORD_SIZE, WORD_SIZE);
		Cpu8Ins in = {.pos = NONE, .end = NONE, .line = (u32)get_le(lines + k * LINE_SIZE, LINE_SIZE)};
		const char *why = decode(w, &in);
		if (why)
			return bad_image(path, "word %u (0x%04x): %s", k, w, why);
		vec_push(&prog->ins, in);
	}
	return true;
}

/* ---- text -------------------------------------------------------------------- */

/* Appends the primitive form of an instruction: `add a b c`, `if not zero
 * goto 12`; for --trace and for programs read from a binary. */
void cpu8_format_ins(const Cpu8Ins *in, Buf *out)
{
	const char *name = cpu8_ops[in->op].name;
	const char *const *r = cpu8_reg_names;
	switch (cpu8_ops[in->op].format) {
	case FMT_RRR: buf_printf(out, "%s %s %s %s", name, r[in->d], r[in->a], r[in->b]); break;
	case FMT_RI: buf_printf(out, "%s %s %u", name, r[in->d], in->imm); break;
	case FMT_R: buf_printf(out, "%s %s", name, r[in->d]); break;
	case FMT_CL:
		buf_printf(out, "if %s%s goto %u", in->d & CPU8_COND_NOT ? "not " : "",
			   cpu8_flag_names[in->d & ~CPU8_COND_NOT], in->imm);
		break;
	case FMT_L: buf_printf(out, "%s %u", name, in->imm); break;
	case FMT_NONE: buf_printf(out, "%s", name); break;
	}
}
