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

/* ---- status flags ----------------------------------------------------------
 * The checker tracks, per flag, whether it is defined (docs/control-flow.md,
 * "Flags").  AF is not tracked: no instruction in AMD64_OPS reads it.
 * CC_READS(code) is the set a condition code reads (Intel SDM vol. 1,
 * appendix B): codes come in pairs, code>>1 = o b e be s p l le, and
 * CC_READS_PACKED holds one byte per pair. */
enum { FL_CF = 1, FL_PF = 2, FL_ZF = 4, FL_SF = 8, FL_OF = 16, FL_ALL = 31, NFLAG = 5 };
#define CC_READS_PACKED                                                       \
	((u64)FL_OF | (u64)FL_CF << 8 | (u64)FL_ZF << 16 | (u64)(FL_CF | FL_ZF) << 24 | \
	 (u64)FL_SF << 32 | (u64)FL_PF << 40 | (u64)(FL_SF | FL_OF) << 48 |          \
	 (u64)(FL_ZF | FL_SF | FL_OF) << 56)
#define CC_READS(code) ((u8)(CC_READS_PACKED >> (((code) >> 1) * 8)))

/* ---- operand classes ----------------------------------------------------------
 * A form's operand is matched against one class.  Columns: name, width,
 * reg, flags, description (used in error messages).
 *   width  bytes of the operand (1, 2, 4, 8, 16), WV for "the operation
 *          size" (16, 32 or 64 bits, taken from the operands), or 0 when the
 *          class says nothing about the operation size (immediates, labels).
 *   reg    the register family of a fixed-register class, else NOREG.
 *   flags  CF_IMPLICIT  a fixed register or value: checked, not encoded
 *          CF_HIGH      the fixed register is the high byte (ah)
 *          CF_PIN       a register operand of this class fixes the size of
 *                       an unsized (mem ...) operand of the same width
 *          CF_OWN       the width is the instruction's only one at this
 *                       position: an unsized (mem ...) operand takes it
 *                       without a register (jmp/call/push/pop take 64-bit
 *                       memory, movsxd 32-bit, cmpxchg8b 64-bit, movsd ...)
 * Ed and Eq are RMd and RMq for an instruction that takes both widths at
 * that position (cvtsi2sd): an unsized (mem ...) there needs a cast.
 * An unsized memory operand is accepted only through CF_PIN or CF_OWN, so
 * (mov (mem (rax)) (ecx)) is a 32-bit store while (inc (mem (rax))) and
 * (shl (mem (rax)) (cl)) need a (cast T ...).
 */
#define WV 0xff
enum { CF_IMPLICIT = 1, CF_HIGH = 2, CF_PIN = 4, CF_OWN = 8 };

#define AMD64_CLASSES(_)                                                                  \
	_(NO, 0, NOREG, 0, "nothing")                                                     \
	_(Rb, 1, NOREG, CF_PIN, "8-bit register")                                         \
	_(Rw, 2, NOREG, CF_PIN, "16-bit register")                                        \
	_(Rv, WV, NOREG, CF_PIN, "16/32/64-bit register")                                 \
	_(Rq, 8, NOREG, CF_PIN, "64-bit register")                                        \
	_(Rvx, WV, NOREG, CF_PIN, "16/32/64-bit register other than eax")                 \
	_(RMb, 1, NOREG, CF_PIN, "8-bit register or memory")                              \
	_(RMw, 2, NOREG, CF_PIN, "16-bit register or memory")                             \
	_(RMd, 4, NOREG, CF_PIN | CF_OWN, "32-bit register or memory")                    \
	_(RMv, WV, NOREG, CF_PIN, "16/32/64-bit register or memory")                      \
	_(RMq, 8, NOREG, CF_PIN | CF_OWN, "64-bit register or memory")                    \
	_(Ed, 4, NOREG, CF_PIN, "32-bit register or memory")                                     \
	_(Eq, 8, NOREG, CF_PIN, "64-bit register or memory")                                     \
	_(Rd, 4, NOREG, CF_PIN, "32-bit register")                                               \
	_(M, 0, NOREG, CF_OWN, "memory operand")                                          \
	_(Md, 4, NOREG, CF_OWN, "32-bit memory operand")                                         \
	_(Mq, 8, NOREG, CF_OWN, "64-bit memory operand")                                  \
	_(Mo, 16, NOREG, CF_OWN, "128-bit memory operand")                                \
	_(Ib, 0, NOREG, 0, "8-bit immediate")                                             \
	_(Iw, 0, NOREG, 0, "16-bit immediate")                                            \
	_(Is8, 0, NOREG, 0, "immediate that fits in a signed byte")                       \
	_(Iz, 0, NOREG, 0, "immediate of the operation size, at most a sign-extended 32 bits") \
	_(Iv, 0, NOREG, 0, "immediate of the operation size")                             \
	_(I1, 0, NOREG, CF_IMPLICIT, "the immediate 1")                                   \
	_(AL, 1, RAX, CF_IMPLICIT | CF_PIN, "register al")                                \
	_(AH, 1, RAX, CF_IMPLICIT | CF_PIN | CF_HIGH, "register ah")                      \
	_(AX, WV, RAX, CF_IMPLICIT | CF_PIN, "register ax, eax or rax")                   \
	_(DX, WV, RDX, CF_IMPLICIT | CF_PIN, "register dx, edx or rdx")                   \
	_(CL, 1, RCX, CF_IMPLICIT, "register cl (a shift count: fixes no size)")          \
	_(RAX, 8, RAX, CF_IMPLICIT | CF_PIN, "register rax")                              \
	_(X, 16, NOREG, 0, "xmm register")                                                \
	_(XMd, 4, NOREG, CF_OWN, "xmm register or 32-bit memory")                                \
	_(XMq, 8, NOREG, CF_OWN, "xmm register or 64-bit memory")                         \
	_(XMo, 16, NOREG, CF_OWN, "xmm register or 128-bit memory")                       \
	_(REL, 0, NOREG, 0, "label or proc")

enum OpClass {
#define X(name, width, reg, flags, desc) C_##name,
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

/* Form flags.  Effects on operands: operand 0 is read when F_R0 says so and
 * written when F_W0 says so; operands 1 and 2 are always read (a memory
 * operand's base and index registers are always read), operand 1 is also
 * written when F_W1 says so.  Registers an instruction touches without
 * naming them are in the uses/defs columns. */
enum {
	F_P66 = 1 << 0,   /* mandatory 66 prefix (SSE, cwd, cbw) */
	F_PF2 = 1 << 1,   /* mandatory F2 prefix */
	F_PF3 = 1 << 2,   /* mandatory F3 prefix */
	F_D64 = 1 << 3,   /* no REX.W although the size is 64 bits (push, pop,
			     jmp/call through memory, cmpxchg8b, xchg rax, rax) */
	F_LOCK = 1 << 4,  /* may take the lock prefix when an operand is memory */
	F_R0 = 1 << 5,    /* reads operand 0 */
	F_W0 = 1 << 6,    /* writes operand 0 */
	F_W1 = 1 << 7,    /* writes operand 1 (xchg, xadd, div) */
	F_FLOAT = 1 << 8, /* operands are floating point (f 64); no REX.W */
	F_NOTYPE = 1 << 9,/* the memory operand is only an address: not accessed,
			     not type checked (lea, clflush, prefetch) */
	F_JUMP = 1 << 10, /* control transfer to a label */
	F_CALL = 1 << 11, /* raw call */
	F_END = 1 << 12,  /* control does not fall through (jmp, ret, ud2) */
	F_REXW = 1 << 13, /* REX.W whatever the operand sizes (cqo, cdqe, cmpxchg16b) */
};

/* The type rule of a mnemonic, kept in bits 16-19 of its first form's
 * flags (TR(...)); the checker applies it to typed operands.
 *   MOVE    operands have the same type (mov, xchg, cmov)
 *   EXTEND  an integer from a narrower integer (movzx, movsx, movsxd)
 *   ARITH   integers; an aptr may move by bytes; never a ptr (add, sub, adc, sbb)
 *   INT     integers only
 *   LOGIC   integers or bools (and, or, xor)
 *   CMP     two values of the same type (cmp, test, cmpxchg)
 *   SETCC   a bool or 8-bit integer destination
 *   FLOAT   float operands of the instruction's precision, which its
 *           mandatory prefix says (the SSE convention): F2 sd and 66 pd
 *           are (f +64), F3 ss and none ps are (f +32)
 *   FBITS   float operands of either precision (xorpd, andpd: bit masks)
 *   I2F     a float of that precision from an integer (cvtsi2sd)
 *   F2I     an integer from a float of that precision (cvttsd2si)
 *   F2F     a float from the other precision: the prefix names the
 *           source's (cvtss2sd, cvtsd2ss)
 *   LEA     the destination holds a pointer to the address
 * The bit moves movd/movq have no rule: their widths are the forms'. */
enum TypeRule { TR_NONE, TR_MOVE, TR_EXTEND, TR_ARITH, TR_INT, TR_LOGIC, TR_CMP, TR_SETCC, TR_FLOAT,
		TR_FBITS, TR_I2F, TR_F2I, TR_F2F, TR_LEA };
#define TR(rule) ((u32)TR_##rule << 16)
#define TR_OF(flags) (((flags) >> 16) & 15)

/* ---- status flags an instruction reads and changes ----------------------------
 * The flag effect of a mnemonic, kept in bits 20-23 of its first form's
 * flags (FX(...)) beside its type rule, from the "Flags Affected" sections
 * of the Intel SDM vol. 2:
 *   NONE    neither reads nor changes the flags (mov, lea, push, pop, not,
 *           xchg, cbw..cqo, the SSE moves, arithmetic, conversions and bit
 *           masks, jmp, ret, nop, fences, syscall: Linux restores the
 *           user's RFLAGS from r11 on return).  call is NONE too: the
 *           checker makes all flags undefined after any call.
 *   ALL     sets every tracked flag (add sub cmp neg xadd cmpxchg: OF SF ZF
 *           AF PF CF; and or xor test: OF CF cleared, SF ZF PF set;
 *           ucomis/comis: ZF PF CF set, OF SF cleared)
 *   CARRY   reads CF, sets every flag (adc, sbb)
 *   INCDEC  sets all but CF, which keeps its state (inc, dec)
 *   MUL     sets CF and OF; SF ZF PF are undefined (mul, imul)
 *   DIV     every flag undefined (div, idiv)
 *   CC      reads the flags its condition code tests (the opcode's low
 *           nibble, CC_READS): jcc, setcc, cmovcc
 *   ZF      sets ZF; the others keep their state (cmpxchg8b, cmpxchg16b)
 *   SHIFT   sets every flag, depending on the count (shl, sal, shr)
 *   SAR     as SHIFT, but CF stays defined for any count (sar shifts the
 *           sign in)
 *   ROT     sets CF and OF, depending on the count; SF ZF PF keep their
 *           state (rol, ror)
 * How a shift's count changes the effect: a count of 0 (masked to 5 bits,
 * 6 with REX.W) changes no flag; OF is defined only for a count of 1
 * (undefined otherwise); for SHIFT, CF is undefined when the count is at
 * least the operand's width.  A count in cl may be 0, so the flags a
 * shift sets keep their state (defined stays defined).  Flags an effect
 * neither sets nor undefines keep their state.
 * FX_READS .. FX_COUNT are the effect's four parts, as constant
 * expressions, so that the checker's per-mnemonic table (flow.c) is
 * derived from AMD64_OPS at compile time. */
enum FlagKind { FX_NONE, FX_ALL, FX_CARRY, FX_INCDEC, FX_MUL, FX_DIV, FX_CC, FX_ZF, FX_SHIFT,
		FX_SAR, FX_ROT };
enum { FC_NONE, FC_SHIFT, FC_SAR, FC_ROT }; /* how the count matters (FX_COUNT) */
#define FX(kind) ((u32)FX_##kind << 20)
#define FX_OF(flags) (((flags) >> 20) & 15)
#define FL_MULU (FL_PF | FL_ZF | FL_SF) /* left undefined by mul and imul */
#define FX_READS(k, opc) ((k) == FX_CC ? CC_READS((opc) & 15) : (k) == FX_CARRY ? FL_CF : 0)
#define FX_SETS(k)                                                                         \
	((k) == FX_ALL || (k) == FX_CARRY || (k) == FX_SHIFT || (k) == FX_SAR ? FL_ALL         \
	 : (k) == FX_INCDEC                                             ? FL_ALL & ~FL_CF \
	 : (k) == FX_MUL || (k) == FX_ROT                               ? FL_CF | FL_OF   \
	 : (k) == FX_ZF                                                 ? FL_ZF           \
									: 0)
#define FX_UNDEF(k) ((k) == FX_MUL ? FL_MULU : (k) == FX_DIV ? FL_ALL : 0)
#define FX_COUNT(k) ((k) == FX_SHIFT ? FC_SHIFT : (k) == FX_SAR ? FC_SAR : (k) == FX_ROT ? FC_ROT : FC_NONE)

/* Implicit register effects: masks over register families. */
#define M_RAX (1u << RAX)
#define M_RCX (1u << RCX)
#define M_RDX (1u << RDX)
#define M_RBX (1u << RBX)
#define M_RSP (1u << RSP)
#define M_R11 (1u << R11)

/* ---- the instruction list ------------------------------------------------------
 * One line per encoding form; the forms of a mnemonic are consecutive and
 * tried in order, so the form GNU as prefers comes first.  OP(...) starts a
 * new mnemonic (it becomes a NIF tag and an enum entry), ALT(...) adds a
 * form to the mnemonic above it.  A user defines OP and ALT, expands
 * AMD64_OPS, and undefines them (QBE's ops.h style).
 *
 *   name     mnemonic and NIF tag
 *   o1 o2 o3 operand classes (NO when absent), in NIF (Intel) order
 *   opc      opcode bytes as one big-endian number (0x0FAF = 0F AF)
 *   opc2     second opcode for E_D (near form); otherwise 0
 *   enc      encoding of the explicit operands (enum Enc)
 *   ext      ModRM.reg digit of /digit forms
 *   flags    F_* flags; the first form also holds the mnemonic's type rule
 *            TR(...) and flag effect FX(...) (both NONE when absent)
 *   uses     registers read without being operands (M_* mask)
 *   defs     registers written without being operands (M_* mask)
 *
 * The operation size is the size of the first WV-class operand that has
 * one, else the first fixed width among the classes (64 bits for F_D64
 * forms without one: push +5): 16 bits give a 66 prefix, 64 bits a REX.W.
 * Condition-code families expand from AMD64_CCS through CC_FORMS; the
 * groups that share a shape expand from ALU_FORMS, UNARY_FORMS,
 * MUL_FORMS, DIV_FORMS, SHIFT_FORMS, SSE2_FORMS, SSE_SS_FORMS, CVT_FROM_INT,
 * CVT_TO_INT and FLOAT_BITS below.
 */
#define RW (F_R0 | F_W0)
#define XRW (F_R0 | F_W0 | F_W1)
#define CMPXCHG8B_USES (M_RAX | M_RDX | M_RCX | M_RBX)

#define CC_FORMS(cc, code)                                                        \
	OP(j##cc, REL, NO, NO, 0x70 + code, 0x0F80 + code, E_D, 0, F_JUMP | FX(CC), 0, 0)          \
	OP(set##cc, RMb, NO, NO, 0x0F90 + code, 0, E_M, 0, F_W0 | TR(SETCC) | FX(CC), 0, 0)                    \
	OP(cmov##cc, Rv, RMv, NO, 0x0F40 + code, 0, E_RM, 0, RW | TR(MOVE) | FX(CC), 0, 0)

#define AMD64_OPS                                                                  \
	/* data movement; GAS: mov r64 takes C7 /0 for a sign-extended imm32, B8+r  \
	 * imm64 (movabs) only for wider values */                                 \
	OP(mov, RMb, Rb, NO, 0x88, 0, E_MR, 0, F_W0 | TR(MOVE), 0, 0)                                \
	ALT(mov, RMv, Rv, NO, 0x89, 0, E_MR, 0, F_W0, 0, 0)                                \
	ALT(mov, Rb, RMb, NO, 0x8A, 0, E_RM, 0, F_W0, 0, 0)                                \
	ALT(mov, Rv, RMv, NO, 0x8B, 0, E_RM, 0, F_W0, 0, 0)                                \
	ALT(mov, Rb, Ib, NO, 0xB0, 0, E_OI, 0, F_W0, 0, 0)                                 \
	ALT(mov, Rq, Iz, NO, 0xC7, 0, E_MI, 0, F_W0, 0, 0)                                 \
	ALT(mov, Rv, Iv, NO, 0xB8, 0, E_OI, 0, F_W0, 0, 0)                                 \
	ALT(mov, RMb, Ib, NO, 0xC6, 0, E_MI, 0, F_W0, 0, 0)                                \
	ALT(mov, RMv, Iz, NO, 0xC7, 0, E_MI, 0, F_W0, 0, 0)                                \
	OP(movzx, Rv, RMb, NO, 0x0FB6, 0, E_RM, 0, F_W0 | TR(EXTEND), 0, 0)                             \
	ALT(movzx, Rv, RMw, NO, 0x0FB7, 0, E_RM, 0, F_W0, 0, 0)                            \
	OP(movsx, Rv, RMb, NO, 0x0FBE, 0, E_RM, 0, F_W0 | TR(EXTEND), 0, 0)                             \
	ALT(movsx, Rv, RMw, NO, 0x0FBF, 0, E_RM, 0, F_W0, 0, 0)                            \
	OP(movsxd, Rq, RMd, NO, 0x63, 0, E_RM, 0, F_W0 | TR(EXTEND), 0, 0)                              \
	OP(lea, Rv, M, NO, 0x8D, 0, E_RM, 0, F_W0 | F_NOTYPE | TR(LEA), 0, 0)                       \
	OP(movapd, X, XMo, NO, 0x0F28, 0, E_RM, 0, F_W0 | F_FLOAT | F_P66 | TR(FLOAT), 0, 0)          \
	ALT(movapd, Mo, X, NO, 0x0F29, 0, E_MR, 0, F_W0 | F_FLOAT | F_P66, 0, 0)          \
	OP(movsd, X, XMq, NO, 0x0F10, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF2 | TR(FLOAT), 0, 0)           \
	ALT(movsd, Mq, X, NO, 0x0F11, 0, E_MR, 0, F_W0 | F_FLOAT | F_PF2, 0, 0)           \
	/* integer arithmetic and logic */                                         \
	ALU_FORMS(add, 0x00, 0, RW | F_LOCK | TR(ARITH) | FX(ALL))                                       \
	ALU_FORMS(or, 0x08, 1, RW | F_LOCK | TR(LOGIC) | FX(ALL))                                        \
	ALU_FORMS(adc, 0x10, 2, RW | F_LOCK | TR(ARITH) | FX(CARRY))                                       \
	ALU_FORMS(sbb, 0x18, 3, RW | F_LOCK | TR(ARITH) | FX(CARRY))                                       \
	ALU_FORMS(and, 0x20, 4, RW | F_LOCK | TR(LOGIC) | FX(ALL))                                       \
	ALU_FORMS(sub, 0x28, 5, RW | F_LOCK | TR(ARITH) | FX(ALL))                                       \
	ALU_FORMS(xor, 0x30, 6, RW | F_LOCK | TR(LOGIC) | FX(ALL))                                       \
	ALU_FORMS(cmp, 0x38, 7, F_R0 | TR(CMP) | FX(ALL))                                              \
	UNARY_FORMS(inc, 0xFE, 0, FX(INCDEC))                                                  \
	UNARY_FORMS(dec, 0xFE, 1, FX(INCDEC))                                                  \
	UNARY_FORMS(not, 0xF6, 2, FX(NONE))                                                  \
	UNARY_FORMS(neg, 0xF6, 3, FX(ALL))                                                  \
	MUL_FORMS(mul, 4)                                                       \
	/* imul: two-operand, three-operand with an immediate, the two-operand    \
	 * (imul r imm) that GAS reads as (imul r r imm), and one-operand */       \
	OP(imul, Rv, RMv, NO, 0x0FAF, 0, E_RM, 0, RW | TR(INT) | FX(MUL), 0, 0)                                \
	ALT(imul, Rv, RMv, Is8, 0x6B, 0, E_RMI, 0, F_W0, 0, 0)                             \
	ALT(imul, Rv, RMv, Iz, 0x69, 0, E_RMI, 0, F_W0, 0, 0)                              \
	ALT(imul, Rv, Is8, NO, 0x6B, 0, E_RRI, 0, RW, 0, 0)                                \
	ALT(imul, Rv, Iz, NO, 0x69, 0, E_RRI, 0, RW, 0, 0)                                 \
	ALT(imul, RMb, NO, NO, 0xF6, 0, E_M, 5, F_R0, M_RAX, M_RAX)                        \
	ALT(imul, RMv, NO, NO, 0xF7, 0, E_M, 5, F_R0, M_RAX, M_RAX | M_RDX)                \
	DIV_FORMS(div, 6)                                                       \
	DIV_FORMS(idiv, 7)                                                      \
	OP(cbw, NO, NO, NO, 0x98, 0, E_ZO, 0, F_P66, M_RAX, M_RAX)                          \
	OP(cwde, NO, NO, NO, 0x98, 0, E_ZO, 0, 0, M_RAX, M_RAX)                            \
	OP(cdqe, NO, NO, NO, 0x98, 0, E_ZO, 0, F_REXW, M_RAX, M_RAX)                       \
	OP(cwd, NO, NO, NO, 0x99, 0, E_ZO, 0, F_P66, M_RAX, M_RDX)                          \
	OP(cdq, NO, NO, NO, 0x99, 0, E_ZO, 0, 0, M_RAX, M_RDX)                             \
	OP(cqo, NO, NO, NO, 0x99, 0, E_ZO, 0, F_REXW, M_RAX, M_RDX)                        \
	/* test: GAS encodes (test r m) as (test m r) and has no imm8 form */      \
	OP(test, RMb, Rb, NO, 0x84, 0, E_MR, 0, F_R0 | TR(CMP) | FX(ALL), 0, 0)                                \
	ALT(test, RMv, Rv, NO, 0x85, 0, E_MR, 0, F_R0, 0, 0)                               \
	ALT(test, Rb, RMb, NO, 0x84, 0, E_RM, 0, F_R0, 0, 0)                               \
	ALT(test, Rv, RMv, NO, 0x85, 0, E_RM, 0, F_R0, 0, 0)                               \
	ALT(test, AL, Ib, NO, 0xA8, 0, E_I, 0, F_R0, 0, 0)                                 \
	ALT(test, AX, Iz, NO, 0xA9, 0, E_I, 0, F_R0, 0, 0)                                 \
	ALT(test, RMb, Ib, NO, 0xF6, 0, E_MI, 0, F_R0, 0, 0)                               \
	ALT(test, RMv, Iz, NO, 0xF7, 0, E_MI, 0, F_R0, 0, 0)                               \
	SHIFT_FORMS(rol, 0, FX(ROT))                                                        \
	SHIFT_FORMS(ror, 1, FX(ROT))                                                        \
	SHIFT_FORMS(shl, 4, FX(SHIFT))                                                        \
	SHIFT_FORMS(sal, 4, FX(SHIFT))                                                        \
	SHIFT_FORMS(shr, 5, FX(SHIFT))                                                        \
	SHIFT_FORMS(sar, 7, FX(SAR))                                                        \
	/* floating point (scalar double) */                                       \
	SSE2_FORMS(addsd, 0x0F58)                                                  \
	SSE2_FORMS(subsd, 0x0F5C)                                                  \
	SSE2_FORMS(mulsd, 0x0F59)                                                  \
	SSE2_FORMS(divsd, 0x0F5E)                                                  \
	SSE2_FORMS(minsd, 0x0F5D)                                                                \
	SSE2_FORMS(maxsd, 0x0F5F)                                                                \
	OP(sqrtsd, X, XMq, NO, 0x0F51, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF2 | TR(FLOAT), 0, 0)     \
	OP(ucomisd, X, XMq, NO, 0x0F2E, 0, E_RM, 0, F_R0 | F_FLOAT | F_P66 | TR(FLOAT) | FX(ALL), 0, 0)    \
	OP(comisd, X, XMq, NO, 0x0F2F, 0, E_RM, 0, F_R0 | F_FLOAT | F_P66 | TR(FLOAT) | FX(ALL), 0, 0)     \
	/* floating point (scalar single) */                                                     \
	OP(movss, X, XMd, NO, 0x0F10, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF3 | TR(FLOAT), 0, 0)      \
	ALT(movss, Md, X, NO, 0x0F11, 0, E_MR, 0, F_W0 | F_FLOAT | F_PF3, 0, 0)                  \
	SSE_SS_FORMS(addss, 0x0F58)                                                              \
	SSE_SS_FORMS(subss, 0x0F5C)                                                              \
	SSE_SS_FORMS(mulss, 0x0F59)                                                              \
	SSE_SS_FORMS(divss, 0x0F5E)                                                              \
	SSE_SS_FORMS(minss, 0x0F5D)                                                              \
	SSE_SS_FORMS(maxss, 0x0F5F)                                                              \
	OP(sqrtss, X, XMd, NO, 0x0F51, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF3 | TR(FLOAT), 0, 0)     \
	OP(ucomiss, X, XMd, NO, 0x0F2E, 0, E_RM, 0, F_R0 | F_FLOAT | TR(FLOAT) | FX(ALL), 0, 0)            \
	OP(comiss, X, XMd, NO, 0x0F2F, 0, E_RM, 0, F_R0 | F_FLOAT | TR(FLOAT) | FX(ALL), 0, 0)             \
	/* conversions; a 64-bit integer operand takes REX.W */                                  \
	CVT_FROM_INT(cvtsi2sd, F_PF2)                                                            \
	CVT_FROM_INT(cvtsi2ss, F_PF3)                                                            \
	CVT_TO_INT(cvttsd2si, XMq, 0x0F2C, F_PF2)                                                \
	CVT_TO_INT(cvtsd2si, XMq, 0x0F2D, F_PF2)                                                 \
	CVT_TO_INT(cvttss2si, XMd, 0x0F2C, F_PF3)                                                \
	CVT_TO_INT(cvtss2si, XMd, 0x0F2D, F_PF3)                                                 \
	OP(cvtss2sd, X, XMd, NO, 0x0F5A, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF3 | TR(F2F), 0, 0)     \
	OP(cvtsd2ss, X, XMq, NO, 0x0F5A, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF2 | TR(F2F), 0, 0)     \
	/* bit moves between xmm and general registers or memory */                              \
	OP(movq, X, XMq, NO, 0x0F7E, 0, E_RM, 0, F_W0 | F_FLOAT | F_PF3, 0, 0)                   \
	ALT(movq, X, Rq, NO, 0x0F6E, 0, E_RM, 0, F_W0 | F_P66 | F_REXW, 0, 0)                    \
	ALT(movq, Mq, X, NO, 0x0FD6, 0, E_MR, 0, F_W0 | F_FLOAT | F_P66, 0, 0)                   \
	ALT(movq, Rq, X, NO, 0x0F7E, 0, E_MR, 0, F_W0 | F_P66 | F_REXW, 0, 0)                    \
	OP(movd, X, RMd, NO, 0x0F6E, 0, E_RM, 0, F_W0 | F_P66, 0, 0)                             \
	ALT(movd, RMd, X, NO, 0x0F7E, 0, E_MR, 0, F_W0 | F_P66, 0, 0)                            \
	/* bit masks on xmm registers (sign flips, absolute values, zeroing) */                  \
	FLOAT_BITS(andpd, 0x0F54)                                                                \
	FLOAT_BITS(andnpd, 0x0F55)                                                               \
	FLOAT_BITS(orpd, 0x0F56)                                                                 \
	FLOAT_BITS(xorpd, 0x0F57)                                                                \
	/* control flow */                                                         \
	OP(jmp, REL, NO, NO, 0xEB, 0xE9, E_D, 0, F_JUMP | F_END, 0, 0)                    \
	ALT(jmp, RMq, NO, NO, 0xFF, 0, E_M, 4, F_D64 | F_R0 | F_END, 0, 0)                 \
	AMD64_CCS(CC_FORMS)                                                             \
	OP(call, REL, NO, NO, 0xE8, 0, E_D, 0, F_CALL, M_RSP, M_RSP)                      \
	ALT(call, RMq, NO, NO, 0xFF, 0, E_M, 2, F_CALL | F_D64 | F_R0, M_RSP, M_RSP)       \
	OP(ret, NO, NO, NO, 0xC3, 0, E_ZO, 0, F_END, M_RSP, M_RSP)                        \
	ALT(ret, Iw, NO, NO, 0xC2, 0, E_I, 0, F_END, M_RSP, M_RSP)                         \
	/* stack: 64-bit, or 16-bit with a 66 prefix; GAS takes an unsized       \
	 * memory operand as 64-bit */                                            \
	OP(push, Rq, NO, NO, 0x50, 0, E_O, 0, F_R0 | F_D64, M_RSP, M_RSP)                  \
	ALT(push, Rw, NO, NO, 0x50, 0, E_O, 0, F_R0, M_RSP, M_RSP)                         \
	ALT(push, RMq, NO, NO, 0xFF, 0, E_M, 6, F_R0 | F_D64, M_RSP, M_RSP)                \
	ALT(push, RMw, NO, NO, 0xFF, 0, E_M, 6, F_R0, M_RSP, M_RSP)                        \
	ALT(push, Is8, NO, NO, 0x6A, 0, E_I, 0, F_R0 | F_D64, M_RSP, M_RSP)                \
	ALT(push, Iz, NO, NO, 0x68, 0, E_I, 0, F_R0 | F_D64, M_RSP, M_RSP)                 \
	OP(pop, Rq, NO, NO, 0x58, 0, E_O, 0, F_W0 | F_D64, M_RSP, M_RSP)                   \
	ALT(pop, Rw, NO, NO, 0x58, 0, E_O, 0, F_W0, M_RSP, M_RSP)                          \
	ALT(pop, RMq, NO, NO, 0x8F, 0, E_M, 0, F_W0 | F_D64, M_RSP, M_RSP)                 \
	ALT(pop, RMw, NO, NO, 0x8F, 0, E_M, 0, F_W0, M_RSP, M_RSP)                         \
	/* atomics.  xchg: GAS encodes xchg rax, rax as nop (90) and uses 90+r   \
	 * with the accumulator, except for xchg eax, eax (87 C0): 90 would not  \
	 * clear the upper half of rax */                                          \
	OP(xchg, RAX, RAX, NO, 0x90, 0, E_ZO, 0, XRW | F_D64 | TR(MOVE), 0, 0)                        \
	ALT(xchg, AX, Rvx, NO, 0x90, 0, E_O, 0, XRW, 0, 0)                                 \
	ALT(xchg, Rvx, AX, NO, 0x90, 0, E_O, 0, XRW, 0, 0)                                 \
	ALT(xchg, RMb, Rb, NO, 0x86, 0, E_MR, 0, XRW | F_LOCK, 0, 0)                       \
	ALT(xchg, RMv, Rv, NO, 0x87, 0, E_MR, 0, XRW | F_LOCK, 0, 0)                       \
	ALT(xchg, Rb, RMb, NO, 0x86, 0, E_RM, 0, XRW | F_LOCK, 0, 0)                       \
	ALT(xchg, Rv, RMv, NO, 0x87, 0, E_RM, 0, XRW | F_LOCK, 0, 0)                       \
	OP(xadd, RMb, Rb, NO, 0x0FC0, 0, E_MR, 0, XRW | F_LOCK | TR(INT) | FX(ALL), 0, 0)                      \
	ALT(xadd, RMv, Rv, NO, 0x0FC1, 0, E_MR, 0, XRW | F_LOCK, 0, 0)                     \
	OP(cmpxchg, RMb, Rb, NO, 0x0FB0, 0, E_MR, 0, RW | F_LOCK | TR(CMP) | FX(ALL), M_RAX, M_RAX)            \
	ALT(cmpxchg, RMv, Rv, NO, 0x0FB1, 0, E_MR, 0, RW | F_LOCK, M_RAX, M_RAX)           \
	OP(cmpxchg8b, Mq, NO, NO, 0x0FC7, 0, E_M, 1, RW | F_LOCK | F_D64 | FX(ZF), CMPXCHG8B_USES,  \
	   M_RAX | M_RDX)                                                                   \
	OP(cmpxchg16b, Mo, NO, NO, 0x0FC7, 0, E_M, 1, RW | F_LOCK | F_REXW | FX(ZF), CMPXCHG8B_USES,\
	   M_RAX | M_RDX)                                                                   \
	/* barriers and cache control */                                           \
	OP(mfence, NO, NO, NO, 0x0FAEF0, 0, E_ZO, 0, 0, 0, 0)                              \
	OP(lfence, NO, NO, NO, 0x0FAEE8, 0, E_ZO, 0, 0, 0, 0)                              \
	OP(sfence, NO, NO, NO, 0x0FAEF8, 0, E_ZO, 0, 0, 0, 0)                              \
	OP(pause, NO, NO, NO, 0x90, 0, E_ZO, 0, F_PF3, 0, 0)                               \
	OP(clflush, M, NO, NO, 0x0FAE, 0, E_M, 7, F_NOTYPE, 0, 0)                          \
	OP(prefetcht0, M, NO, NO, 0x0F18, 0, E_M, 1, F_NOTYPE, 0, 0)                       \
	OP(prefetcht1, M, NO, NO, 0x0F18, 0, E_M, 2, F_NOTYPE, 0, 0)                       \
	OP(prefetcht2, M, NO, NO, 0x0F18, 0, E_M, 3, F_NOTYPE, 0, 0)                       \
	OP(prefetchnta, M, NO, NO, 0x0F18, 0, E_M, 0, F_NOTYPE, 0, 0)                      \
	/* special */                                                              \
	OP(nop, NO, NO, NO, 0x90, 0, E_ZO, 0, 0, 0, 0)                                     \
	ALT(nop, RMv, NO, NO, 0x0F1F, 0, E_M, 0, 0, 0, 0)                                  \
	OP(syscall, NO, NO, NO, 0x0F05, 0, E_ZO, 0, 0, M_RAX, M_RAX | M_RCX | M_R11)       \
	OP(ud2, NO, NO, NO, 0x0F0B, 0, E_ZO, 0, F_END, 0, 0)                               \
	OP(int3, NO, NO, NO, 0xCC, 0, E_ZO, 0, 0, 0, 0)

/* The classic ALU group: op r/m,r / r,r/m / al,imm8 / r/m,simm8 /
 * accumulator,imm / r/m8,imm8 / r/m,imm.  GAS prefers the sign-extended
 * imm8 form over the accumulator form (add eax, 5 is 83 C0 05). */
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

/* inc, dec, not, neg: one read-modify-write operand. */
#define UNARY_FORMS(name, opc8, digit, fx)                                             \
	OP(name, RMb, NO, NO, opc8, 0, E_M, digit, RW | F_LOCK | TR(INT) | (fx), 0, 0)                       \
	ALT(name, RMv, NO, NO, opc8 + 1, 0, E_M, digit, RW | F_LOCK, 0, 0)

/* mul (mul src): rdx:rax = rax * src, ax = al * src for a byte.
 * div and idiv name the fixed registers: (div (rdx) (rax) src) divides
 * rdx:rax, quotient to rax, remainder to rdx; at 8 bits (div (ah) (al) src)
 * divides ax, quotient to al, remainder to ah. */
#define MUL_FORMS(name, digit)                                                     \
	OP(name, RMb, NO, NO, 0xF6, 0, E_M, digit, F_R0 | TR(INT) | FX(MUL), M_RAX, M_RAX)                      \
	ALT(name, RMv, NO, NO, 0xF7, 0, E_M, digit, F_R0, M_RAX, M_RAX | M_RDX)
#define DIV_FORMS(name, digit)                                                     \
	OP(name, AH, AL, RMb, 0xF6, 0, E_M, digit, XRW | TR(INT) | FX(DIV), 0, 0)                               \
	ALT(name, DX, AX, RMv, 0xF7, 0, E_M, digit, XRW, 0, 0)

/* Shifts and rotates: by 1 (GAS picks D1 for a count of 1), by cl, by an
 * 8-bit immediate. */
#define SHIFT_FORMS(name, digit, fx)                                                   \
	OP(name, RMb, I1, NO, 0xD0, 0, E_M, digit, RW | TR(INT) | (fx), 0, 0)                                \
	ALT(name, RMv, I1, NO, 0xD1, 0, E_M, digit, RW, 0, 0)                                \
	ALT(name, RMb, CL, NO, 0xD2, 0, E_M, digit, RW, 0, 0)                                \
	ALT(name, RMv, CL, NO, 0xD3, 0, E_M, digit, RW, 0, 0)                                \
	ALT(name, RMb, Ib, NO, 0xC0, 0, E_MI, digit, RW, 0, 0)                               \
	ALT(name, RMv, Ib, NO, 0xC1, 0, E_MI, digit, RW, 0, 0)

/* Scalar double arithmetic: xmm, xmm/m64 with the F2 prefix. */
#define SSE2_FORMS(name, opc)                                                      \
	OP(name, X, XMq, NO, opc, 0, E_RM, 0, RW | F_FLOAT | F_PF2 | TR(FLOAT), 0, 0)

/* Scalar single arithmetic: xmm, xmm/m32 with the F3 prefix. */
#define SSE_SS_FORMS(name, opc)                                                    \
	OP(name, X, XMd, NO, opc, 0, E_RM, 0, RW | F_FLOAT | F_PF3 | TR(FLOAT), 0, 0)

/* An integer (32 bits, or 64 with REX.W) to a float of the prefix's
 * precision. */
#define CVT_FROM_INT(name, pfx)                                                    \
	OP(name, X, Ed, NO, 0x0F2A, 0, E_RM, 0, F_W0 | pfx | TR(I2F), 0, 0)               \
	ALT(name, X, Eq, NO, 0x0F2A, 0, E_RM, 0, F_W0 | pfx | F_REXW, 0, 0)

/* A float of the prefix's precision to a 32- or 64-bit integer (a 64-bit
 * destination takes REX.W from the operation size). */
#define CVT_TO_INT(name, xm, opc, pfx)                                             \
	OP(name, Rd, xm, NO, opc, 0, E_RM, 0, F_W0 | pfx | TR(F2I), 0, 0)                 \
	ALT(name, Rq, xm, NO, opc, 0, E_RM, 0, F_W0 | pfx, 0, 0)

/* Packed-double bit operations: xmm, xmm/m128 with the 66 prefix. */
#define FLOAT_BITS(name, opc)                                                      \
	OP(name, X, XMo, NO, opc, 0, E_RM, 0, RW | F_FLOAT | F_P66 | TR(FBITS), 0, 0)

#endif
