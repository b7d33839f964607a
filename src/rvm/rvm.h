/* rvm.h - the register VM of seed 003: its instruction set, its bytecode
 * layout and the interfaces between the assembler, the loader and the VM.
 *
 * RVM_OPS below is the only list of the instruction set.  The opcode enum,
 * the mnemonics, the assembler's keyword lookup and operand rules, the
 * loader's checks, the field encoding and the VM's dispatch tables all
 * expand from it.
 */
#ifndef RVM_H
#define RVM_H

#include "../all.h"
#include "../isa.h"

/* ---- registers -------------------------------------------------------------
 * A register operand names one of 32 registers and a view of it:
 *   0-29  r0-r29, general purpose, with views rN (8 bytes) and rNb1, rNb2,
 *         rNb4, rNb8 (the low 1, 2, 4 or 8 bytes)
 *   30    fp, the frame pointer (8 bytes, no views)
 *   31    sp, the stack pointer (8 bytes, no views)
 * pc is not in the register file: only the forms of cpy, push and pop
 * that name it can reach it.
 */
enum { RVM_NGENERAL = 30, RVM_FP = 30, RVM_SP = 31, RVM_NREGS = 32 };

/* View widths are coded as log2 of the byte count. */
enum { W1, W2, W4, W8 };

/* ---- instruction set --------------------------------------------------------
 * Columns:
 *   id     opcode name; RVM_<id> is the value of the OP field
 *   mn     mnemonic; the forms of one mnemonic are adjacent and the
 *          assembler takes the first whose operand kinds match
 *   ops    operand kinds in source order:
 *            R  a register view, read or written as an integer
 *            F  a register view holding a float: 4 bytes f32, 8 bytes f64
 *            P  the register pc (implied by the opcode, not encoded)
 *            K  a constant or a label (ldi); encoded in field K as an index
 *               into the constant pool
 *            L  a code address: a label, or $N, an instruction index;
 *               encoded in field K
 *          The first R/F operand goes to field A, the second to B, the
 *          third to C.
 *   ends   1 when control never falls through to the next instruction
 */
#define RVM_OPS(_)                                   \
	_(LDI, "ldi", "RK", 0)                       \
	_(CPY, "cpy", "RR", 0)                       \
	_(CPY_TO_PC, "cpy", "PR", 1)                 \
	_(CPY_FROM_PC, "cpy", "RP", 0)               \
	_(LOAD, "load", "RRR", 0)                    \
	_(STORE, "store", "RRR", 0)                  \
	_(ADD, "add", "RRR", 0)                      \
	_(SUB, "sub", "RRR", 0)                      \
	_(MULT, "mult", "RRR", 0)                    \
	_(DIV, "div", "RRR", 0)                      \
	_(MOD, "mod", "RRR", 0)                      \
	_(AND, "and", "RRR", 0)                      \
	_(OR, "or", "RRR", 0)                        \
	_(XOR, "xor", "RRR", 0)                      \
	_(FADD, "fadd", "FFF", 0)                    \
	_(FSUB, "fsub", "FFF", 0)                    \
	_(FMULT, "fmult", "FFF", 0)                  \
	_(FDIV, "fdiv", "FFF", 0)                    \
	_(FMOD, "fmod", "FFF", 0)                    \
	_(ITOF, "itof", "FR", 0)                     \
	_(FTOI, "ftoi", "RF", 0)                     \
	_(NEG, "neg", "RR", 0)                       \
	_(NOT, "not", "RR", 0)                       \
	_(SHL, "shl", "RRR", 0)                      \
	_(SHR, "shr", "RRR", 0)                      \
	_(ROTL, "rotl", "RRR", 0)                    \
	_(ROTR, "rotr", "RRR", 0)                    \
	_(INC, "inc", "R", 0)                        \
	_(DEC, "dec", "R", 0)                        \
	_(JMP, "jmp", "L", 1)                        \
	_(JIFZ, "jifz", "RL", 0)                     \
	_(JIFNZ, "jifnz", "RL", 0)                   \
	_(HALTEXE, "haltexe", "", 1)                 \
	_(PUSH, "push", "R", 0)                      \
	_(PUSH_PC, "push", "P", 0)                   \
	_(POP, "pop", "R", 0)                        \
	_(POP_PC, "pop", "P", 1)                     \
	_(MALLOC, "malloc", "RR", 0)                 \
	_(REALLOC, "realloc", "RRR", 0)              \
	_(FREE, "free", "R", 0)                      \
	_(MEMCPY, "memcpy", "RRR", 0)                \
	_(MEMSET, "memset", "RRR", 0)                \
	_(CALL, "call", "L", 1)                      \
	_(RET, "ret", "", 1)

enum RvmOp {
#define X(id, mn, ops, ends) RVM_##id,
	RVM_OPS(X)
#undef X
	RVM_NOPS
};

typedef struct RvmOpInfo {
	const char *mn;
	const char *ops;
	bool ends;
} RvmOpInfo;

extern const RvmOpInfo rvm_ops[RVM_NOPS];

/* ---- instruction words -------------------------------------------------------
 * Every instruction is one 64-bit little-endian word:
 *
 *   63                               32 31 29 28    22 21    15 14     8 7      0
 *  +-----------------------------------+-----+--------+--------+--------+--------+
 *  |                 K                 |  0  |   C    |   B    |   A    |   OP   |
 *  +-----------------------------------+-----+--------+--------+--------+--------+
 *
 * A, B and C are register operands:
 *
 *    6   5 4           0
 *  +-------+-------------+
 *  |   W   |      R      |    R: register 0-31, W: view width, log2 bytes
 *  +-------+-------------+
 *
 * K is a constant-pool index (ldi) or an instruction index (jumps, call).
 * Fields an opcode does not use are zero.
 */
#define RVM_POS_OP 0
#define RVM_SIZE_OP 8
#define RVM_POS_A (RVM_POS_OP + RVM_SIZE_OP)
#define RVM_SIZE_REG 7
#define RVM_POS_B (RVM_POS_A + RVM_SIZE_REG)
#define RVM_POS_C (RVM_POS_B + RVM_SIZE_REG)
#define RVM_POS_K 32
#define RVM_SIZE_K 32

#define RVM_MASK(size) ((1ull << (size)) - 1)
#define RVM_GET(w, pos, size) ((u32)(((w) >> (pos)) & RVM_MASK(size)))
#define RVM_GET_OP(w) RVM_GET(w, RVM_POS_OP, RVM_SIZE_OP)
#define RVM_GET_A(w) RVM_GET(w, RVM_POS_A, RVM_SIZE_REG)
#define RVM_GET_B(w) RVM_GET(w, RVM_POS_B, RVM_SIZE_REG)
#define RVM_GET_C(w) RVM_GET(w, RVM_POS_C, RVM_SIZE_REG)
#define RVM_GET_K(w) RVM_GET(w, RVM_POS_K, RVM_SIZE_K)
/* Bits that no field covers: must be zero. */
#define RVM_UNUSED_BITS (RVM_MASK(RVM_POS_K) & ~RVM_MASK(RVM_POS_C + RVM_SIZE_REG))

#define RVM_REG_BITS 5
#define RVM_REG_INDEX(x) ((x) & RVM_MASK(RVM_REG_BITS))
#define RVM_REG_WIDTH(x) ((x) >> RVM_REG_BITS)
#define RVM_REG(index, width) ((u32)(index) | (u32)(width) << RVM_REG_BITS)

/* ---- the bytecode file ---------------------------------------------------------
 * All numbers little-endian.
 *
 *   offset  size     field
 *   0       4        magic 7f 'R' 'V' 'M'
 *   4       4        version (1)
 *   8       4        N, number of instructions (at least 1)
 *   12      4        K, number of constants
 *   16      4        P, length of the source path
 *   20      8 * N    instruction words
 *   ..      8 * K    constant pool
 *   ..      4 * N    source line of each instruction
 *   ..      P        source path, for runtime errors (no NUL)
 *
 * The file ends exactly there.
 */
#define RVM_MAGIC "\x7fRVM"
#define RVM_VERSION 1
#define RVM_HEADER_SIZE 20

/* ---- stages ------------------------------------------------------------------ */

/* asm.c: source to bytecode; false when there were errors. */
bool rvm_assemble(SrcFile *src, Buf *image, const IsaOpts *o);

/* vm.c: validates and runs a bytecode image; returns the exit status. */
int rvm_run(const u8 *image, size_t n, SrcFile *src, const char *path, const IsaOpts *o);

#endif
