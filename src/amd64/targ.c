/* targ.c - the x86-64 Linux target descriptor. */
#include "../nifasm.h"
#include "amd64int.h"

typedef struct RegName {
	const char *name;
	u8 family, bytes, hi;
} RegName;

static const RegName reg_names[] = {
#define REG(name, fam, bytes, hi) {#name, fam, bytes, hi},
	AMD64_REGS(REG)
#undef REG
};

static const char *amd64_reg_name(u32 family, u32 bytes, bool hi)
{
	for (u32 i = 0; i < COUNTOF(reg_names); i++)
		if (reg_names[i].family == family && reg_names[i].bytes == bytes && reg_names[i].hi == hi)
			return reg_names[i].name;
	return "?";
}

static void add_ins(InsVec *code, u16 op, u32 n, const Opnd *o)
{
	Ins ins = {.op = op, .nopnd = (u8)n, .pos = NONE};
	for (u32 i = 0; i < n; i++)
		ins.o[i] = o[i];
	MatchFail why;
	u32 f = amd64_match(op, ins.o, n, &why);
	if (f == NONE)
		die("start stub: no form for %u", op);
	ins.form = (u16)f;
	vec_push(code, ins);
}

static Opnd reg64(u8 family) { return (Opnd){.kind = OK_REG, .size = 8, .reg = family}; }
static Opnd reg32(u8 family) { return (Opnd){.kind = OK_REG, .size = 4, .reg = family}; }
static Opnd imm(i64 v) { return (Opnd){.kind = OK_IMM, .imm = v}; }

/* The start stub when the program has no top-level instructions:
 *     call main.0
 *     mov  rdi, <result>    (xor edi, edi without a result; nothing if in rdi)
 *     mov  eax, 60          (exit)
 *     syscall
 */
static u32 amd64_start_stub(Program *p, u32 main_global, int result_family)
{
	InsVec code = {0};
	add_ins(&code, TAG_call, 1, &(Opnd){.kind = OK_GLOBAL, .sym = main_global});
	if (result_family < 0)
		add_ins(&code, TAG_xor, 2, (Opnd[]){reg32(RDI), reg32(RDI)});
	else if (result_family != RDI)
		add_ins(&code, TAG_mov, 2, (Opnd[]){reg64(RDI), reg64((u8)result_family)});
	add_ins(&code, TAG_mov, 2, (Opnd[]){reg32(RAX), imm(60)});
	add_ins(&code, TAG_syscall, 0, NULL);
	u32 chunk = amd64_encode(p, &code, p->entry, 0);
	vec_free(&code);
	return chunk;
}

/* Code run first when tvars exist (the kernel leaves fs at 0):
 *     mov eax, 158          arch_prctl
 *     mov edi, 0x1002       ARCH_SET_FS
 *     lea rsi, [rip + tcb]
 *     syscall
 * It changes rax, rdi, rsi, rcx and r11, which are undefined at _start,
 * and keeps rsp and rdx (the exit function a loader may pass). */
static u32 amd64_tls_setup(Program *p, u32 tcb)
{
	InsVec code = {0};
	Opnd at_tcb = {.kind = OK_MEM, .base = RIPREG, .index = NOREG, .scale = 1, .sym = tcb};
	add_ins(&code, TAG_mov, 2, (Opnd[]){reg32(RAX), imm(158)});
	add_ins(&code, TAG_mov, 2, (Opnd[]){reg32(RDI), imm(0x1002)});
	add_ins(&code, TAG_lea, 2, (Opnd[]){reg64(RSI), at_tcb});
	add_ins(&code, TAG_syscall, 0, NULL);
	u32 chunk = amd64_encode(p, &code, tcb, 0);
	vec_free(&code);
	return chunk;
}

static u16 find_jump_form(int cc)
{
	for (u32 f = 0; f < amd64_nforms; f++) {
		const Form *fm = &amd64_forms[f];
		if (fm->enc == E_D && (fm->flags & F_JUMP) &&
		    (cc < 0 ? fm->opc == 0xEB : fm->opc == 0x70u + (u32)cc))
			return (u16)f;
	}
	die("no jump form for condition %d", cc);
}

/* Lowering asks for a jump form per structured branch: found once each. */
static u16 amd64_jump_form(int cc)
{
	static u16 forms[17];
	static bool known[17];
	u32 i = (u32)(cc + 1);
	ASSERT(i < COUNTOF(forms));
	if (!known[i]) {
		forms[i] = find_jump_form(cc);
		known[i] = true;
	}
	return forms[i];
}

static u32 amd64_jump_tag(int cc) { return amd64_forms[amd64_jump_form(cc)].op; }

static int amd64_jump_cc(u32 op)
{
	if (op < TAG_FIRST_OP || op >= TAG__COUNT)
		return -1;
	u32 end;
	const Form *f = &amd64_forms[amd64_forms_of(op, &end)];
	return f->enc == E_D && (f->flags & F_JUMP) && f->opc >= 0x70 && f->opc <= 0x7F ? (int)(f->opc - 0x70) : -1;
}

static void amd64_release(void)
{
	amd64_encoder_free();
	amd64_emit_release();
	amd64_match_release();
}

const Target T_amd64 = {
	.name = "x86-64 Linux",
	.elf_machine = 62, /* EM_X86_64 */
	.base_addr = 0x400000,
	.page = 0x1000,
	.encode = amd64_encode,
	.reg_name = amd64_reg_name,
	.start_stub = amd64_start_stub,
	.tls_setup = amd64_tls_setup,
	.release = amd64_release,
	.jump_form = amd64_jump_form,
	.jump_tag = amd64_jump_tag,
	.jump_cc = amd64_jump_cc,
};

void tags_intern(Interner *in)
{
	static const char *const names[] = {
#define KW(x) #x,
		NIFASM_KEYWORDS(KW)
#undef KW
#define REG(name, fam, bytes, hi) #name,
		AMD64_REGS(REG)
#undef REG
#define COND(name, code) #name,
		AMD64_CONDS(COND)
#undef COND
#define OP(name, ...) #name,
#define ALT(...)
		AMD64_OPS
#undef OP
#undef ALT
	};
	for (u32 i = 0; i < COUNTOF(names); i++)
		if (intern(in, names[i], (u32)strlen(names[i])) != i)
			die("tag %s is listed twice", names[i]);
}
