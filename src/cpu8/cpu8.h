/* cpu8.h - the 8-bit CPU of seed 004: registers, instruction words, the
 * instruction set and its assembler spellings, and the timing of its
 * pipeline.  Every table about the instruction set expands from the X-macro
 * lists below; nothing else spells an opcode, a mnemonic or a register.
 * docs/cpu8.md explains the pipeline model these constants describe.
 */
#ifndef CPU8_H
#define CPU8_H

#include "../isa.h"

/* ---- instruction words -------------------------------------------------------
 * Every instruction is one 16-bit word:
 *
 *   15       12 11        8 7         4 3         0
 *  +-----------+-----------+-----------+-----------+
 *  |    op     |     d     |     a     |     b     |  ALU      d = a OP b
 *  |    op     |     d     |         imm8          |  ldi      d = imm8
 *  |    op     |     d     |     0     |     0     |  load d, store d
 *  |    op     |   cond    |        target         |  if cond goto target
 *  |    op     |     0     |        target         |  goto, call
 *  |    op     |    fn     |     0     |     0     |  halt (fn 0), return (fn 1)
 *  +-----------+-----------+-----------+-----------+
 *
 * d, a, b are register codes (CPU8_REGS); cond is a condition code
 * (CPU8_CONDS) with CPU8_COND_NOT added for `not`; target is an instruction
 * address (the program counter has 8 bits).  Fields an op does not use must
 * be zero, so the all-zero word is `halt`: empty program memory stops the
 * clock.
 */
#define SIZE_B 4
#define SIZE_A 4
#define SIZE_D 4
#define SIZE_OP 4
#define SIZE_IMM (SIZE_A + SIZE_B)

#define POS_B 0
#define POS_A (POS_B + SIZE_B)
#define POS_D (POS_A + SIZE_A)
#define POS_OP (POS_D + SIZE_D)
#define POS_IMM POS_B

#define MASK_BITS(size) ((1u << (size)) - 1)
#define GET_FIELD(w, pos, size) (((unsigned)(w) >> (pos)) & MASK_BITS(size))
#define PUT_FIELD(v, pos, size) (((unsigned)(v) & MASK_BITS(size)) << (pos))

#define W_OP(w) GET_FIELD(w, POS_OP, SIZE_OP)
#define W_D(w) GET_FIELD(w, POS_D, SIZE_D)
#define W_A(w) GET_FIELD(w, POS_A, SIZE_A)
#define W_B(w) GET_FIELD(w, POS_B, SIZE_B)
#define W_IMM(w) GET_FIELD(w, POS_IMM, SIZE_IMM)

#define CPU8_MAX_PROGRAM 256 /* words the 8-bit program counter reaches */

/* ---- registers ---------------------------------------------------------------
 * Columns: spelling, enum name, code (the value of a d/a/b field).
 *   `0` reads as 0 and discards what is written to it (flags still change).
 *   `tmp` is the result latch: it holds the result of the previous cycle's
 *   instruction, whatever that instruction wrote (docs/cpu8.md).
 * Codes 11-15 are invalid.
 */
#define CPU8_REGS(_)                                                          \
	_("0", ZERO, 0) _("a", A, 1) _("b", B, 2) _("c", C, 3) _("d", D, 4)     \
	_("e", E, 5) _("f", F, 6) _("g", G, 7) _("h", H, 8) _("i", I, 9)        \
	_("tmp", TMP, 10)

enum {
#define REG_ENUM(s, name, code) R_##name = code,
	CPU8_REGS(REG_ENUM)
#undef REG_ENUM
	CPU8_NREGS,
	CPU8_NRENAMABLE = 8 /* `use` maps names to a-h only; i is the pointer */
};

/* ---- flags and branch conditions ---------------------------------------------
 * Flags, columns: spelling, enum name; a flag's code is its position (0
 * zero, 1 odd, 2 cout).  Conditions, columns: spelling, the flag tested:
 * every flag, and `greater`, which is cout.  `not` adds CPU8_COND_NOT to
 * the code.
 */
#define CPU8_FLAGS(_) _("zero", ZERO) _("odd", ODD) _("cout", COUT)
#define CPU8_CONDS(_) CPU8_FLAGS(_) _("greater", COUT)

enum {
#define FLAG_ENUM(s, name) FLAG_##name,
	CPU8_FLAGS(FLAG_ENUM)
#undef FLAG_ENUM
	CPU8_NFLAGS,
	CPU8_COND_NOT = 8
};

/* ---- the instruction set -----------------------------------------------------
 * Columns: name, spelling, opcode, fn, format, delay slots, ALU function.
 *   spelling  the primitive's mnemonic, lower case (as in CPU8_MNEMONICS),
 *           for disassembly and --trace.
 *   fn      for ops sharing an opcode (halt, return): the value of the d
 *           field that selects them; -1 for ops with an opcode of their own.
 *   format  the operands: RRR three registers d a b; RI register and
 *           number; R one register (in d); CL condition and label; L label;
 *           NONE nothing.
 *   slots   delay slots: instructions that run after a branch before its
 *           target does.
 *   ALU     for RRR ops, the 9-bit result of a and b (c is the carry flag
 *           of the previous cycle): bits 0-7 are the result, bit 8 is cout.
 *           sub is a + ~b + 1, so cout means "no borrow" (a >= b).  rshift
 *           puts the bit it shifts out into cout.
 */
#define CPU8_OPS(_)                                                                 \
	_(HALT, "halt", 0, 0, NONE, 0, 0)                                           \
	_(RETURN, "return", 0, 1, NONE, 2, 0)                                       \
	_(ADD, "add", 1, -1, RRR, 0, a + b)                                         \
	_(SUB, "sub", 2, -1, RRR, 0, a + (b ^ 0xffu) + 1)                           \
	_(ADDCI, "addci", 3, -1, RRR, 0, a + b + 1)                                 \
	_(ADDCO, "addco", 4, -1, RRR, 0, a + b + c)                                 \
	_(OR, "or", 5, -1, RRR, 0, a | b)                                           \
	_(AND, "and", 6, -1, RRR, 0, a & b)                                         \
	_(XOR, "xor", 7, -1, RRR, 0, a ^ b)                                         \
	_(XNOR, "xnor", 8, -1, RRR, 0, (a ^ b) ^ 0xffu)                             \
	_(RSHIFT, "rshift", 9, -1, RRR, 0, ((a | b) >> 1) | ((a | b) & 1) << 8)     \
	_(LDI, "ldi", 10, -1, RI, 0, 0)                                             \
	_(LOAD, "load", 11, -1, R, 0, 0)                                            \
	_(STORE, "store", 12, -1, R, 0, 0)                                          \
	_(IF, "if", 13, -1, CL, 4, 0)                                               \
	_(GOTO, "goto", 14, -1, L, 2, 0)                                            \
	_(CALL, "call", 15, -1, L, 2, 0)

typedef enum {
#define OP_ENUM(name, spelling, code, fn, fmt, slots, alu) OP_##name,
	CPU8_OPS(OP_ENUM)
#undef OP_ENUM
	CPU8_NOPS
} Cpu8Op;

typedef enum { FMT_RRR, FMT_RI, FMT_R, FMT_CL, FMT_L, FMT_NONE } Cpu8Format;

typedef struct Cpu8OpInfo {
	const char *name; /* lower case, as the assembler spells the primitive */
	u8 code;
	i8 fn;
	u8 format; /* Cpu8Format */
	u8 slots;
} Cpu8OpInfo;

extern const Cpu8OpInfo cpu8_ops[CPU8_NOPS];

/* The ALU: returns the 9-bit result (bit 8 = cout) of an RRR op. */
static inline unsigned cpu8_alu(Cpu8Op op, unsigned a, unsigned b, unsigned c)
{
	switch (op) {
#define OP_ALU(name, spelling, code, fn, fmt, slots, alu) \
	case OP_##name: return (alu);
		CPU8_OPS(OP_ALU)
#undef OP_ALU
	default: return 0;
	}
}

/* ---- assembler spellings -----------------------------------------------------
 * Columns: spelling, op, template.  Primitives and pseudo-instructions alike
 * become exactly one instruction word.
 *   template  for RRR ops, where the fields d, a, b come from: digit k is
 *             the k-th operand, '0' the zero register; the mnemonic takes
 *             as many register operands as its largest digit.  Other ops
 *             take the operands their format says, and have "".
 */
#define CPU8_MNEMONICS(_)                                                         \
	_("add", ADD, "123") _("sub", SUB, "123") _("addci", ADDCI, "123")        \
	_("addco", ADDCO, "123") _("or", OR, "123") _("and", AND, "123")          \
	_("xor", XOR, "123") _("xnor", XNOR, "123") _("rshift", RSHIFT, "123")    \
	_("ldi", LDI, "") _("load", LOAD, "") _("store", STORE, "")               \
	_("if", IF, "") _("goto", GOTO, "") _("jmp", GOTO, "")                    \
	_("call", CALL, "") _("return", RETURN, "") _("halt", HALT, "")           \
	_("add=", ADD, "112") _("sub=", SUB, "112") _("addci=", ADDCI, "112")     \
	_("addco=", ADDCO, "112") _("or=", OR, "112") _("and=", AND, "112")       \
	_("xor=", XOR, "112") _("xnor=", XNOR, "112")                             \
	_("rshift=", RSHIFT, "110") _(">>=", RSHIFT, "110")                       \
	_("lshift=", ADD, "111") _("<<=", ADD, "111")                             \
	_("inc", ADDCI, "110") _("mov", OR, "120") _("cmp", SUB, "012")           \
	_("check", OR, "010") _("-", OR, "000") _("noop", OR, "000")

/* ---- pipeline timing (docs/cpu8.md, "The pipeline model") --------------------
 * For an instruction executing in cycle T:
 *   stores take i and their register as they were at the end of T-2;
 *   the data stack and the ports see i as it was at the end of T-2;
 *   RAM is synchronous: a load reads the cell i named at the end of T-3.
 */
enum {
	MEM_LAG = 2,      /* store address and data, stack and port select */
	RAM_LOAD_LAG = 3, /* RAM read address */
	RAM_SIZE = 64,
	PORT_CHAR = 123,
	PORT_UNSIGNED = 124,
	PORT_SIGNED = 125,
	PORT_HEX = 126,
	STACK_ADDR = 127,
};

/* ---- decoded programs ---------------------------------------------------------
 * The assembler parses into this form, the image writer encodes it, the
 * image reader decodes words back into it, and the simulator and the hazard
 * checker work on it.
 */
typedef struct Cpu8Ins {
	u8 op;     /* Cpu8Op */
	u8 d, a, b; /* register codes (d: the if condition for OP_IF) */
	u8 imm;    /* ldi value or branch target */
	u32 pos;   /* source offset of the mnemonic, NONE without source */
	u32 end;   /* source offset just after the last operand */
	u32 line;  /* source line (1-based), 0 when unknown */
} Cpu8Ins;

typedef struct Cpu8Prog {
	VEC(Cpu8Ins) ins;
} Cpu8Prog;

static inline bool cpu8_is_noop(const Cpu8Ins *in)
{
	return in->op == OP_OR && in->d == R_ZERO && in->a == R_ZERO && in->b == R_ZERO;
}

/* Register an instruction writes (R_ZERO when none; tmp is always written
 * as the result latch, this names only an explicit destination). */
static inline unsigned cpu8_dest(const Cpu8Ins *in)
{
	u8 f = cpu8_ops[in->op].format;
	return f == FMT_RRR || f == FMT_RI || in->op == OP_LOAD ? in->d : R_ZERO;
}

extern const char *const cpu8_reg_names[CPU8_NREGS];
extern const char *const cpu8_flag_names[CPU8_NFLAGS];

/* asm.c: parses a source file; errors via diag.  False on errors. */
bool cpu8_parse(SrcFile *src, Cpu8Prog *prog);
/* image.c: the binary format. */
void cpu8_write_image(const Cpu8Prog *prog, Buf *image);
bool cpu8_read_image(const u8 *image, size_t n, const char *path, Cpu8Prog *prog);
void cpu8_format_ins(const Cpu8Ins *in, Buf *out);
/* hazard.c: warns about every pipeline hazard of a parsed program. */
void cpu8_check_hazards(SrcFile *src, const Cpu8Prog *prog);
/* sim.c: runs a program; returns the exit status. */
int cpu8_simulate(const Cpu8Prog *prog, SrcFile *src, const char *path, const IsaOpts *o);

#endif
