/* amd64.h - the x86-64 target: registers, condition codes and the
 * instruction list.  Every table about the instruction set expands from the
 * X-macro lists below; nothing else spells an opcode or a register name.
 */
#ifndef AMD64_H
#define AMD64_H

/* ---- registers -------------------------------------------------------------
 * Columns: name, family, bytes, high.
 *   family  the 64-bit register the name is a view of (0-15 in hardware
 *           order rax rcx rdx rbx rsp rbp rsi rdi r8..r15; 16-31 = xmm0-15).
 *           Binding and clobber checks work on families.
 *   bytes   width of the view: 1, 2, 4, 8, or 16 for xmm.
 *   high    1 for ah/ch/dh/bh (bits 8-15 of the family; no REX allowed).
 * r0-r7 are the seed's generic names (r0=rax r1=rbx r2=rcx r3=rdx r4=rsi
 * r5=rdi r6=rbp r7=rsp); r8-r15 already have their proper names.
 */
#define AMD64_REGS(_)                                                            \
	_(rax, 0, 8, 0) _(rcx, 1, 8, 0) _(rdx, 2, 8, 0) _(rbx, 3, 8, 0)          \
	_(rsp, 4, 8, 0) _(rbp, 5, 8, 0) _(rsi, 6, 8, 0) _(rdi, 7, 8, 0)          \
	_(r8, 8, 8, 0) _(r9, 9, 8, 0) _(r10, 10, 8, 0) _(r11, 11, 8, 0)          \
	_(r12, 12, 8, 0) _(r13, 13, 8, 0) _(r14, 14, 8, 0) _(r15, 15, 8, 0)      \
	_(eax, 0, 4, 0) _(ecx, 1, 4, 0) _(edx, 2, 4, 0) _(ebx, 3, 4, 0)          \
	_(esp, 4, 4, 0) _(ebp, 5, 4, 0) _(esi, 6, 4, 0) _(edi, 7, 4, 0)          \
	_(r8d, 8, 4, 0) _(r9d, 9, 4, 0) _(r10d, 10, 4, 0) _(r11d, 11, 4, 0)      \
	_(r12d, 12, 4, 0) _(r13d, 13, 4, 0) _(r14d, 14, 4, 0) _(r15d, 15, 4, 0)  \
	_(ax, 0, 2, 0) _(cx, 1, 2, 0) _(dx, 2, 2, 0) _(bx, 3, 2, 0)              \
	_(sp, 4, 2, 0) _(bp, 5, 2, 0) _(si, 6, 2, 0) _(di, 7, 2, 0)              \
	_(r8w, 8, 2, 0) _(r9w, 9, 2, 0) _(r10w, 10, 2, 0) _(r11w, 11, 2, 0)      \
	_(r12w, 12, 2, 0) _(r13w, 13, 2, 0) _(r14w, 14, 2, 0) _(r15w, 15, 2, 0)  \
	_(al, 0, 1, 0) _(cl, 1, 1, 0) _(dl, 2, 1, 0) _(bl, 3, 1, 0)              \
	_(spl, 4, 1, 0) _(bpl, 5, 1, 0) _(sil, 6, 1, 0) _(dil, 7, 1, 0)          \
	_(r8b, 8, 1, 0) _(r9b, 9, 1, 0) _(r10b, 10, 1, 0) _(r11b, 11, 1, 0)      \
	_(r12b, 12, 1, 0) _(r13b, 13, 1, 0) _(r14b, 14, 1, 0) _(r15b, 15, 1, 0)  \
	_(ah, 0, 1, 1) _(ch, 1, 1, 1) _(dh, 2, 1, 1) _(bh, 3, 1, 1)              \
	_(xmm0, 16, 16, 0) _(xmm1, 17, 16, 0) _(xmm2, 18, 16, 0)                 \
	_(xmm3, 19, 16, 0) _(xmm4, 20, 16, 0) _(xmm5, 21, 16, 0)                 \
	_(xmm6, 22, 16, 0) _(xmm7, 23, 16, 0) _(xmm8, 24, 16, 0)                 \
	_(xmm9, 25, 16, 0) _(xmm10, 26, 16, 0) _(xmm11, 27, 16, 0)               \
	_(xmm12, 28, 16, 0) _(xmm13, 29, 16, 0) _(xmm14, 30, 16, 0)              \
	_(xmm15, 31, 16, 0)                                                      \
	_(r0, 0, 8, 0) _(r1, 3, 8, 0) _(r2, 1, 8, 0) _(r3, 2, 8, 0)              \
	_(r4, 6, 8, 0) _(r5, 7, 8, 0) _(r6, 5, 8, 0) _(r7, 4, 8, 0)

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
       XMM0, XMM15 = XMM0 + 15, NFAMILY, NOREG = 0xff, RIPREG = 0xfe };

/* ---- condition codes -------------------------------------------------------
 * Columns: spelling, code (the low nibble of Jcc/SETcc/CMOVcc).  Every
 * spelling becomes a jump j<cc>, a set<cc> and a cmov<cc>.
 */
#define AMD64_CCS(_)                                                          \
	_(o, 0) _(no, 1) _(b, 2) _(c, 2) _(nae, 2) _(ae, 3) _(nb, 3) _(nc, 3)  \
	_(e, 4) _(z, 4) _(ne, 5) _(nz, 5) _(be, 6) _(na, 6) _(a, 7) _(nbe, 7)  \
	_(s, 8) _(ns, 9) _(p, 10) _(pe, 10) _(np, 11) _(po, 11) _(l, 12)       \
	_(nge, 12) _(ge, 13) _(nl, 13) _(le, 14) _(ng, 14) _(g, 15) _(nle, 15)

/* Conditions of the structured forms (ite, loop): the flag names and the
 * comparison names of decisions.md.  Columns: tag, code. */
#define AMD64_CONDS(_)                                                        \
	_(zf, 4) _(nz, 5) _(cf, 2) _(nc, 3) _(of, 0) _(no, 1) _(sf, 8)         \
	_(ns, 9) _(pf, 10) _(np, 11) _(e, 4) _(ne, 5) _(l, 12) _(ge, 13)       \
	_(le, 14) _(g, 15) _(b, 2) _(ae, 3) _(be, 6) _(a, 7)

/* ---- operand classes ----------------------------------------------------------
 * A form's operand is matched against one class.  "v" means the operation
 * size of the form: 16, 32 or 64 bits, taken from the operands.  Classes
 * marked implicit are checked but not encoded.
 */
#define AMD64_CLASSES(_)                                                       \
	_(NO, "nothing")                                                       \
	_(Rb, "8-bit register")                                                \
	_(Rv, "16/32/64-bit register")                                         \
	_(Rq, "64-bit register")                                               \
	_(RMb, "8-bit register or memory")                                     \
	_(RMv, "16/32/64-bit register or memory")                              \
	_(RMq, "64-bit register or memory")                                    \
	_(M, "memory operand")                                                 \
	_(Mq, "64-bit memory operand")                                         \
	_(Ib, "8-bit immediate")                                               \
	_(Is8, "immediate that fits in a signed byte")                         \
	_(Iz, "16/32-bit immediate")                                           \
	_(Iv, "immediate of the operation size")                               \
	_(I1, "the immediate 1")              /* implicit */                  \
	_(AL, "register al")                  /* implicit */                  \
	_(AX, "register ax/eax/rax")          /* implicit */                  \
	_(CL, "register cl")                  /* implicit */                  \
	_(RAXq, "register rax")               /* implicit */                  \
	_(RDXq, "register rdx")               /* implicit */                  \
	_(X, "xmm register")                                                   \
	_(XMq, "xmm register or 64-bit memory")                                \
	_(XMo, "xmm register or 128-bit memory")                               \
	_(Mxq, "64-bit memory operand")                                        \
	_(REL, "label or proc")

enum OpClass {
#define X(name, desc) C_##name,
	AMD64_CLASSES(X)
#undef X
	C__COUNT
};

/* How the explicit (non-implicit) operands of a form are encoded. */
enum Enc {
	E_ZO,  /* opcode only */
	E_O,   /* opcode + register number of explicit operand 0 */
	E_OI,  /* E_O, then immediate = explicit operand 1 */
	E_M,   /* ModRM: rm = explicit 0, reg = /digit */
	E_MI,  /* E_M, then immediate = explicit 1 */
	E_MR,  /* ModRM: rm = explicit 0, reg = explicit 1 */
	E_RM,  /* ModRM: reg = explicit 0, rm = explicit 1 */
	E_RMI, /* E_RM, then immediate = explicit 2 */
	E_RRI, /* ModRM: reg = rm = explicit 0, immediate = explicit 1 */
	E_I,   /* opcode, immediate = explicit 0 */
	E_D,   /* relative branch; short form = opc, near form = opc2 */
};

/* Form flags. */
enum {
	F_P66 = 1 << 0,   /* mandatory 66 prefix (SSE) */
	F_PF2 = 1 << 1,   /* mandatory F2 prefix */
	F_PF3 = 1 << 2,   /* mandatory F3 prefix */
	F_D64 = 1 << 3,   /* 64-bit by default: no REX.W (push, pop, call) */
	F_LOCK = 1 << 4,  /* may take the lock prefix with a memory destination */
	F_R0 = 1 << 5,    /* reads operand 0 */
	F_W0 = 1 << 6,    /* writes operand 0 */
	F_W1 = 1 << 7,    /* writes operand 1 (xchg, xadd) */
	F_FLOAT = 1 << 8, /* operands are floating point (f 64) */
	F_NOTYPE = 1 << 9,/* operand 0 is an address; no type check (lea) */
	F_JUMP = 1 << 10, /* control transfer to a label */
	F_CALL = 1 << 11, /* raw call */
	F_END = 1 << 12,  /* control does not fall through (jmp, ret) */
};

/* Implicit register effects: masks over register families. */
#define M_RAX (1u << RAX)
#define M_RCX (1u << RCX)
#define M_RDX (1u << RDX)
#define M_RBX (1u << RBX)
#define M_R11 (1u << R11)

/* ---- the instruction list ------------------------------------------------------
 * One line per encoding form; the forms of a mnemonic are consecutive and
 * tried in order, so the form GNU as prefers comes first.  OP(...) starts a
 * new mnemonic (it becomes a NIF tag and an enum entry), ALT(...) adds a
 * form to the mnemonic above it.  A user defines OP and ALT, expands
 * AMD64_OPS, and undefines them (QBE's ops.h style).
 *
 *   name     mnemonic and NIF tag
 *   o1 o2 o3 operand classes (NO when absent)
 *   opc      opcode bytes as one big-endian number (0x0FAF = 0F AF)
 *   opc2     second opcode for E_D (near form); otherwise 0
 *   enc      encoding of the explicit operands (enum Enc)
 *   ext      ModRM.reg digit of /digit forms
 *   flags    F_* flags
 *   uses     implicit register reads (M_* mask)
 *   defs     implicit register writes (M_* mask)
 *
 * Condition-code families expand from AMD64_CCS through CC_FORMS.
 */
#define RW (F_R0 | F_W0)
#define CC_FORMS(cc, code)                                                        \
	OP(j##cc, REL, NO, NO, 0x70 + code, 0x0F80 + code, E_D, 0, F_JUMP, 0, 0)          \
	OP(set##cc, RMb, NO, NO, 0x0F90 + code, 0, E_M, 0, F_W0, 0, 0)                    \
	OP(cmov##cc, Rv, RMv, NO, 0x0F40 + code, 0, E_RM, 0, RW, 0, 0)

#define AMD64_OPS                                                                  \
	OP(mov, RMb, Rb, NO, 0x88, 0, E_MR, 0, F_W0, 0, 0)                                \
	ALT(mov, RMv, Rv, NO, 0x89, 0, E_MR, 0, F_W0, 0, 0)                                \
	ALT(mov, Rb, RMb, NO, 0x8A, 0, E_RM, 0, F_W0, 0, 0)                                \
	ALT(mov, Rv, RMv, NO, 0x8B, 0, E_RM, 0, F_W0, 0, 0)                                \
	ALT(mov, Rb, Ib, NO, 0xB0, 0, E_OI, 0, F_W0, 0, 0)                                 \
	ALT(mov, Rq, Iz, NO, 0xC7, 0, E_MI, 0, F_W0, 0, 0)                                \
	ALT(mov, Rv, Iv, NO, 0xB8, 0, E_OI, 0, F_W0, 0, 0)                                 \
	ALT(mov, RMb, Ib, NO, 0xC6, 0, E_MI, 0, F_W0, 0, 0)                                \
	ALT(mov, RMv, Iz, NO, 0xC7, 0, E_MI, 0, F_W0, 0, 0)                                \
	OP(lea, Rv, M, NO, 0x8D, 0, E_RM, 0, F_W0 | F_NOTYPE, 0, 0)                       \
	ALU_FORMS(add, 0x00, 0, RW | F_LOCK)                                       \
	ALU_FORMS(sub, 0x28, 5, RW | F_LOCK)                                       \
	ALU_FORMS(cmp, 0x38, 7, F_R0)                                              \
	ALU_FORMS(and, 0x20, 4, RW | F_LOCK)                                       \
	ALU_FORMS(or, 0x08, 1, RW | F_LOCK)                                        \
	ALU_FORMS(xor, 0x30, 6, RW | F_LOCK)                                       \
	OP(jmp, REL, NO, NO, 0xEB, 0xE9, E_D, 0, F_JUMP | F_END, 0, 0)                    \
	ALT(jmp, RMq, NO, NO, 0xFF, 0, E_M, 4, F_D64 | F_END, 0, 0)                        \
	AMD64_CCS(CC_FORMS)                                                             \
	OP(call, REL, NO, NO, 0xE8, 0, E_D, 0, F_CALL, 0, 0)                              \
	ALT(call, RMq, NO, NO, 0xFF, 0, E_M, 2, F_CALL | F_D64, 0, 0)                      \
	OP(ret, NO, NO, NO, 0xC3, 0, E_ZO, 0, F_END, 0, 0)                                \
	OP(push, Rq, NO, NO, 0x50, 0, E_O, 0, F_D64 | F_R0, 0, 0)                         \
	ALT(push, RMq, NO, NO, 0xFF, 0, E_M, 6, F_D64 | F_R0, 0, 0)                       \
	ALT(push, Is8, NO, NO, 0x6A, 0, E_I, 0, F_D64, 0, 0)                              \
	ALT(push, Iz, NO, NO, 0x68, 0, E_I, 0, F_D64, 0, 0)                               \
	OP(pop, Rq, NO, NO, 0x58, 0, E_O, 0, F_D64 | F_W0, 0, 0)                          \
	ALT(pop, RMq, NO, NO, 0x8F, 0, E_M, 0, F_D64 | F_W0, 0, 0)                        \
	OP(syscall, NO, NO, NO, 0x0F05, 0, E_ZO, 0, 0, M_RAX, M_RAX | M_RCX | M_R11)      \
	OP(nop, NO, NO, NO, 0x90, 0, E_ZO, 0, 0, 0, 0)

/* The classic ALU group: op r/m,r / r,r/m / accumulator,imm / r/m,imm8 / r/m,imm. */
#define ALU_FORMS(name, base, digit, fl)                                           \
	OP(name, RMb, Rb, NO, base + 0, 0, E_MR, 0, (fl), 0, 0)                             \
	ALT(name, RMv, Rv, NO, base + 1, 0, E_MR, 0, (fl), 0, 0)                             \
	ALT(name, Rb, RMb, NO, base + 2, 0, E_RM, 0, (fl) & ~F_LOCK, 0, 0)                   \
	ALT(name, Rv, RMv, NO, base + 3, 0, E_RM, 0, (fl) & ~F_LOCK, 0, 0)                   \
	ALT(name, AL, Ib, NO, base + 4, 0, E_I, 0, (fl) & ~F_LOCK, 0, 0)                     \
	ALT(name, RMv, Is8, NO, 0x83, 0, E_MI, digit, (fl), 0, 0)                            \
	ALT(name, AX, Iz, NO, base + 5, 0, E_I, 0, (fl) & ~F_LOCK, 0, 0)                     \
	ALT(name, RMb, Ib, NO, 0x80, 0, E_MI, digit, (fl), 0, 0)                             \
	ALT(name, RMv, Iz, NO, 0x81, 0, E_MI, digit, (fl), 0, 0)

#endif
