/* asm.c - the cpu8 assembler front end: source text -> Cpu8Prog.
 *
 * The file is read once, line by line; tokens are (offset, length) pairs
 * into the text, and every word is interned as it is found (a new one that
 * does not fit is the input's error, and ends it).  Built-in words are
 * interned first, in table order, so a word's name id tells what it is: a
 * mnemonic (its index in CPU8_MNEMONICS), a register, a condition, a
 * keyword, or a user name (a `use` name or a label).
 */
#include "cpu8.h"

#include <stdio.h>

typedef struct Mnemonic {
	const char *spelling;
	u8 op;
	const char *template;
} Mnemonic;

static const Mnemonic mnemonics[] = {
#define MNEM_ROW(s, op, t) {s, OP_##op, t},
	CPU8_MNEMONICS(MNEM_ROW)
#undef MNEM_ROW
};

static const char *const cond_names[] = {
#define COND_NAME(s, flag) s,
	CPU8_CONDS(COND_NAME)
#undef COND_NAME
};
static const u8 cond_codes[] = {
#define COND_CODE(s, flag) FLAG_##flag,
	CPU8_CONDS(COND_CODE)
#undef COND_CODE
};

const char *const cpu8_reg_names[CPU8_NREGS] = {
#define REG_NAME(s, name, code) [code] = s,
	CPU8_REGS(REG_NAME)
#undef REG_NAME
};

const char *const cpu8_flag_names[CPU8_NFLAGS] = {
#define FLAG_NAME(s, name) [FLAG_##name] = s,
	CPU8_FLAGS(FLAG_NAME)
#undef FLAG_NAME
};

/* Name ids of the built-in words, in the order they are interned. */
enum {
	ID_MNEM = 0,
	ID_REG = ID_MNEM + (int)COUNTOF(mnemonics),
	ID_COND = ID_REG + CPU8_NREGS,
	ID_USE = ID_COND + (int)COUNTOF(cond_names),
	ID_DEF,
	ID_NOT,
	ID_USER /* first user name */
};

typedef struct Tok {
	u32 pos, len;
	u32 id; /* the word's name id */
} Tok;

/* What a user name means; one entry per name id. */
typedef struct NameInfo {
	u32 label_pos; /* where `def` defined it, NONE if not a label */
	u32 use_pos;   /* where `use` mapped it, NONE if not */
	u16 label_addr;
	u8 reg; /* register of a `use` name */
} NameInfo;

typedef struct Fixup {
	u32 ins;  /* instruction whose target is the label */
	u32 name; /* the label's name id */
	u32 pos;  /* where it is used */
} Fixup;

typedef struct Asm {
	SrcFile *src;
	Cpu8Prog *prog;
	Interner names;
	VEC(NameInfo) info;
	VEC(Tok) toks; /* the current line's tokens */
	VEC(Fixup) fixups;
	u32 line;
	u32 id_goto;        /* the mnemonic `goto`, which `if` spells out */
	u8 next_use;        /* next register `use` hands out */
	bool full;          /* the names filled the interner: the assembly stops */
} Asm;

static const char *tok_text(const Asm *as, Tok t) { return as->src->text + t.pos; }

/* Interns a word as tokenize finds it; false, reported, when it is new
 * and the input's names fill the interner, which ends the assembly (the
 * next new word would not fit either). */
static bool intern_word(Asm *as, Tok *t)
{
	t->id = intern_at(&as->names, as->src, t->pos, t->len);
	if (t->id == NONE)
		return as->full = true, false;
	vec_cover(&as->info, t->id, ((NameInfo){NONE, NONE, 0, 0}));
	return true;
}

static void intern_builtins(Asm *as)
{
	intern_init(&as->names);
	for (u32 i = 0; i < COUNTOF(mnemonics); i++)
		intern(&as->names, mnemonics[i].spelling, (u32)strlen(mnemonics[i].spelling));
	for (u32 i = 0; i < CPU8_NREGS; i++)
		intern(&as->names, cpu8_reg_names[i], (u32)strlen(cpu8_reg_names[i]));
	for (u32 i = 0; i < COUNTOF(cond_names); i++)
		intern(&as->names, cond_names[i], (u32)strlen(cond_names[i]));
	static const char *const keywords[] = {"use", "def", "not"};
	for (u32 i = 0; i < COUNTOF(keywords); i++)
		intern(&as->names, keywords[i], (u32)strlen(keywords[i]));
	ASSERT(as->names.names.n == ID_USER);
	as->id_goto = intern(&as->names, "goto", 4);
	ASSERT(as->id_goto < ID_REG);
}

/* ---- tokens ------------------------------------------------------------------ */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Splits [pos, end) into tokens up to a comment.  `#` is a keyword of its
 * own: followed by a space (or nothing) it makes the rest of the line a
 * comment; glued to a word it is an error, as the seed says. */
static bool tokenize(Asm *as, u32 pos, u32 end)
{
	const char *s = as->src->text;
	as->toks.n = 0;
	for (;;) {
		while (pos < end && is_space(s[pos]))
			pos++;
		if (pos == end)
			return true;
		u32 start = pos;
		while (pos < end && !is_space(s[pos]))
			pos++;
		if (s[start] == '#') {
			if (pos - start == 1)
				return true;
			error_at(as->src, start,
				 "`%.*s` is not a comment: a comment is `#` followed by a space",
				 (int)(pos - start), s + start);
			return false;
		}
		Tok t = {start, pos - start, 0};
		if (!intern_word(as, &t))
			return false;
		vec_push(&as->toks, t);
	}
}

/* Position just after the last token, for "missing operand" errors. */
static u32 after_last(const Asm *as) { return vec_last(&as->toks).pos + vec_last(&as->toks).len; }

/* ---- operands ---------------------------------------------------------------- */

static bool is_letter(char c) { return c == '_' || (unsigned)((c | 0x20) - 'a') < 26u; }
static bool is_digit(char c) { return (unsigned)(c - '0') < 10u; }

static bool is_name(const char *s, u32 len)
{
	if (!is_letter(s[0]))
		return false;
	for (u32 i = 1; i < len; i++)
		if (!is_letter(s[i]) && !is_digit(s[i]))
			return false;
	return true;
}

static bool reg_operand(Asm *as, Tok t, u8 *reg)
{
	u32 id = t.id;
	if (id >= ID_REG && id < ID_REG + CPU8_NREGS) {
		*reg = (u8)(id - ID_REG);
		return true;
	}
	if (id >= ID_USER && as->info.v[id].use_pos != NONE) {
		*reg = as->info.v[id].reg;
		return true;
	}
	error_at(as->src, t.pos, "expected a register (a-i, 0, tmp or a `use` name), found `%.*s`",
		 (int)t.len, tok_text(as, t));
	return false;
}

static bool number_operand(Asm *as, Tok t, u8 *value)
{
	const char *s = tok_text(as, t);
	u32 v = 0, i = 0;
	for (; i < t.len && is_digit(s[i]) && v <= 255; i++)
		v = v * 10 + (u32)(s[i] - '0');
	if (i < t.len && !is_digit(s[i])) {
		error_at(as->src, t.pos, "expected a number 0-255, found `%.*s`", (int)t.len, s);
		return false;
	}
	if (v > 255) {
		error_at(as->src, t.pos, "number `%.*s` is out of range 0-255", (int)t.len, s);
		return false;
	}
	*value = (u8)v;
	return true;
}

static bool label_operand(Asm *as, Tok t)
{
	if (!is_name(tok_text(as, t), t.len)) {
		error_at(as->src, t.pos, "expected a label name, found `%.*s`", (int)t.len,
			 tok_text(as, t));
		return false;
	}
	Fixup f = {as->prog->ins.n, t.id, t.pos};
	vec_push(&as->fixups, f);
	return true;
}

/* Checks that the line has exactly `want` operands after the mnemonic. */
static bool operand_count(Asm *as, u32 want, const char *what)
{
	u32 got = as->toks.n - 1;
	if (got == want)
		return true;
	Tok t0 = as->toks.v[0];
	u32 pos = got > want ? as->toks.v[want + 1].pos : after_last(as);
	error_at(as->src, pos, "`%.*s` takes %s, found %u operand%s", (int)t0.len, tok_text(as, t0),
		 what, got, got == 1 ? "" : "s");
	return false;
}

/* ---- instructions ------------------------------------------------------------ */

static bool parse_rrr(Asm *as, const Mnemonic *m, Cpu8Ins *in)
{
	static const char *const counts[] = {"no operands", "1 register", "2 registers",
					     "3 registers"};
	u32 want = 0;
	for (const char *p = m->template; *p; p++)
		want = MAX(want, (u32)(*p - '0'));
	if (!operand_count(as, want, counts[want]))
		return false;
	u8 regs[4] = {R_ZERO};
	for (u32 k = 1; k <= want; k++)
		if (!reg_operand(as, as->toks.v[k], &regs[k]))
			return false;
	in->d = regs[m->template[0] - '0'];
	in->a = regs[m->template[1] - '0'];
	in->b = regs[m->template[2] - '0'];
	return true;
}

static bool parse_cond(Asm *as, u32 *k, u8 *cond)
{
	const char *want = "a condition: zero, odd, cout or greater, optionally after `not`";
	*cond = 0;
	if (*k < as->toks.n && as->toks.v[*k].id == ID_NOT) {
		*cond = CPU8_COND_NOT;
		++*k;
	}
	if (*k == as->toks.n) {
		error_at(as->src, after_last(as), "`if` needs %s", want);
		return false;
	}
	Tok t = as->toks.v[*k];
	u32 id = t.id;
	if (id < ID_COND || id >= ID_COND + COUNTOF(cond_names)) {
		error_at(as->src, t.pos, "`%.*s` is not %s", (int)t.len, tok_text(as, t), want);
		return false;
	}
	*cond |= cond_codes[id - ID_COND];
	++*k;
	return true;
}

/* if [not] COND goto LABEL */
static bool parse_if(Asm *as, Cpu8Ins *in)
{
	u32 k = 1;
	if (!parse_cond(as, &k, &in->d))
		return false;
	if (k == as->toks.n || as->toks.v[k].id != as->id_goto) {
		u32 pos = k == as->toks.n ? after_last(as) : as->toks.v[k].pos;
		error_at(as->src, pos, "expected `goto` after the condition: `if COND goto LABEL`");
		return false;
	}
	if (k + 1 == as->toks.n) {
		error_at(as->src, after_last(as), "`if` needs a label after `goto`");
		return false;
	}
	if (k + 2 < as->toks.n) {
		error_at(as->src, as->toks.v[k + 2].pos, "unexpected `%.*s` after the label",
			 (int)as->toks.v[k + 2].len, tok_text(as, as->toks.v[k + 2]));
		return false;
	}
	return label_operand(as, as->toks.v[k + 1]);
}

static bool parse_operands(Asm *as, const Mnemonic *m, Cpu8Ins *in)
{
	switch (cpu8_ops[m->op].format) {
	case FMT_RRR: return parse_rrr(as, m, in);
	case FMT_RI:
		return operand_count(as, 2, "a register and a number") &&
		       reg_operand(as, as->toks.v[1], &in->d) &&
		       number_operand(as, as->toks.v[2], &in->imm);
	case FMT_R: return operand_count(as, 1, "1 register") && reg_operand(as, as->toks.v[1], &in->d);
	case FMT_CL: return parse_if(as, in);
	case FMT_L: return operand_count(as, 1, "a label") && label_operand(as, as->toks.v[1]);
	case FMT_NONE: in->d = (u8)cpu8_ops[m->op].fn; return operand_count(as, 0, "no operands");
	}
	die("bad format %d", cpu8_ops[m->op].format);
}

static void add_instruction(Asm *as, u32 mnem)
{
	const Mnemonic *m = &mnemonics[mnem];
	Cpu8Ins in = {.op = m->op, .pos = as->toks.v[0].pos, .end = after_last(as), .line = as->line};
	u32 fixups = as->fixups.n;
	if (!parse_operands(as, m, &in)) {
		as->fixups.n = fixups; /* no "undefined label" on top of the error */
		return;
	}
	/* Said once: ins.n passes the limit one instruction at a time. */
	if (as->prog->ins.n == CPU8_MAX_PROGRAM)
		error_at(as->src, in.pos,
			 "program too long: the 8-bit program counter reaches %d instructions",
			 CPU8_MAX_PROGRAM);
	vec_push(&as->prog->ins, in);
}

/* ---- directives -------------------------------------------------------------- */

/* A user name for `use` or `def`: not a built-in word. */
static bool user_name(Asm *as, Tok t, const char *what, u32 *id)
{
	if (!is_name(tok_text(as, t), t.len)) {
		error_at(as->src, t.pos, "expected a %s name, found `%.*s`", what, (int)t.len,
			 tok_text(as, t));
		return false;
	}
	*id = t.id;
	if (*id >= ID_REG && *id < ID_REG + CPU8_NREGS) {
		error_at(as->src, t.pos, "`%.*s` is a register, not a new %s name", (int)t.len,
			 tok_text(as, t), what);
		return false;
	}
	if (*id < ID_USER) {
		error_at(as->src, t.pos, "`%.*s` is a reserved word, not a %s name", (int)t.len,
			 tok_text(as, t), what);
		return false;
	}
	return true;
}

/* use NAME... : each name takes the next register of a-h. */
static void parse_use(Asm *as)
{
	if (as->toks.n == 1)
		error_at(as->src, after_last(as), "`use` needs at least one name");
	for (u32 k = 1; k < as->toks.n; k++) {
		Tok t = as->toks.v[k];
		u32 id;
		if (!user_name(as, t, "register", &id))
			continue;
		NameInfo *ni = &as->info.v[id];
		if (ni->use_pos != NONE) {
			error_at(as->src, t.pos, "`%.*s` already names register %s (line %u)", (int)t.len,
				 tok_text(as, t), cpu8_reg_names[ni->reg],
				 src_linecol(as->src, ni->use_pos).line);
		} else if (as->next_use == CPU8_NRENAMABLE) {
			error_at(as->src, t.pos,
				 "no register left for `%.*s`: `use` names a-h, which are all taken "
				 "(i is the memory pointer and cannot be renamed)",
				 (int)t.len, tok_text(as, t));
		} else {
			ni->use_pos = t.pos;
			ni->reg = (u8)(R_A + as->next_use++);
		}
	}
}

/* def NAME : a label for the next instruction. */
static void parse_def(Asm *as)
{
	u32 id;
	if (!operand_count(as, 1, "a label name") || !user_name(as, as->toks.v[1], "label", &id))
		return;
	NameInfo *ni = &as->info.v[id];
	if (ni->label_pos != NONE) {
		error_at(as->src, as->toks.v[1].pos, "label `%s` is already defined at line %u",
			 name_str(&as->names, id), src_linecol(as->src, ni->label_pos).line);
		return;
	}
	ni->label_pos = as->toks.v[1].pos;
	ni->label_addr = (u16)as->prog->ins.n;
}

static void parse_line(Asm *as, u32 start, u32 end)
{
	if (!tokenize(as, start, end) || as->toks.n == 0)
		return;
	Tok t0 = as->toks.v[0];
	u32 id = t0.id;
	if (id < ID_REG)
		add_instruction(as, id);
	else if (id == ID_USE)
		parse_use(as);
	else if (id == ID_DEF)
		parse_def(as);
	else
		error_at(as->src, t0.pos, "unknown instruction `%.*s`", (int)t0.len, tok_text(as, t0));
}

static void resolve_labels(Asm *as)
{
	for (u32 k = 0; k < as->fixups.n; k++) {
		Fixup *f = &as->fixups.v[k];
		NameInfo *ni = &as->info.v[f->name];
		if (ni->label_pos == NONE)
			error_at(as->src, f->pos, "undefined label `%s`", name_str(&as->names, f->name));
		else if (ni->label_addr >= CPU8_MAX_PROGRAM)
			error_at(as->src, f->pos,
				 "label `%s` is at address %u, past the 8-bit program counter",
				 name_str(&as->names, f->name), ni->label_addr);
		else
			as->prog->ins.v[f->ins].imm = (u8)ni->label_addr;
	}
}

bool cpu8_parse(SrcFile *src, Cpu8Prog *prog)
{
	Asm as = {.src = src, .prog = prog};
	intern_builtins(&as);
	int errors = diag_error_count;
	for (u32 pos = 0; pos < src->len && !as.full;) {
		const char *nl = memchr(src->text + pos, '\n', src->len - pos);
		u32 end = nl ? (u32)(nl - src->text) : src->len;
		as.line++;
		parse_line(&as, pos, end);
		pos = end + 1;
	}
	if (!as.full) /* labels may be defined after where it stopped */
		resolve_labels(&as);
	intern_free(&as.names);
	vec_free(&as.info);
	vec_free(&as.toks);
	vec_free(&as.fixups);
	return diag_error_count == errors;
}
