/* asm.c - the rvm assembler: source text to bytecode in one pass over the
 * text.  Each line is scanned in place and its instruction encoded at once;
 * label uses become fixups, patched when the whole file has been read.
 */
#include "rvm.h"

#include <stdio.h>
#include <stdlib.h>

typedef enum OpdKind { OPD_REG, OPD_PC, OPD_INT, OPD_FLOAT, OPD_LABEL } OpdKind;

typedef struct Operand {
	OpdKind kind;
	u32 pos, len;    /* the operand's text */
	u8 reg, width;   /* OPD_REG */
	bool negative;   /* OPD_INT written with a minus sign */
	u64 value;       /* OPD_INT: two's complement; OPD_FLOAT: f64 bits; OPD_LABEL: name id */
} Operand;

/* A use of a label, or of a numeric address whose range is known only at
 * the end. */
typedef struct Fixup {
	u32 index;   /* instruction */
	u32 pos;     /* operand */
	u32 label;   /* name id, or NONE for a numeric address */
	u32 konst;   /* ldi: constant-pool index to patch, else NONE */
	u8 width;    /* ldi: destination width */
	u64 address; /* numeric address */
} Fixup;

typedef struct Label {
	u32 index; /* instruction it names; NONE while undefined */
	u32 pos;
	bool used;
} Label;

typedef struct Asm {
	SrcFile *src;
	const char *p; /* cursor */
	u32 line;
	Interner names;
	VEC(u8) first_form; /* by mnemonic id; names below first_form.n are mnemonics */
	VEC(Label) labels;  /* by name id */
	VEC(u64) words;
	VEC(u64) consts;
	U32Vec lines;
	u32 last_start; /* source position of the last instruction */
	VEC(Fixup) fixups;
	bool full; /* the names filled the interner: the assembly stops */
} Asm;

/* ---- characters ---------------------------------------------------------- */

static bool is_word_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static bool is_word_char(char c)
{
	return is_word_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The end of a statement: a newline, a comment or the end of the text. */
static bool at_statement_end(const Asm *as)
{
	char c = *as->p;
	return c == '\n' || c == '#' || as->p >= as->src->text + as->src->len;
}

static void skip_blanks(Asm *as)
{
	while (is_blank(*as->p))
		as->p++;
}

static u32 pos_of(const Asm *as, const char *s) { return (u32)(s - as->src->text); }

/* A label's name id; NONE, reported, when it is new and the input's names
 * fill the interner, which ends the assembly (the next new name would not
 * fit either). */
static u32 label_name(Asm *as, const char *s, u32 len)
{
	u32 id = intern_at(&as->names, as->src, pos_of(as, s), len);
	as->full |= id == NONE;
	return id;
}

static u32 word_length(const char *s)
{
	u32 n = 0;
	while (is_word_char(s[n]))
		n++;
	return n;
}

/* The text of one operand or stray token: up to a blank, comma or comment. */
static u32 token_length(const Asm *as, const char *s)
{
	const char *end = as->src->text + as->src->len;
	u32 n = 0;
	while (s + n < end && !is_blank(s[n]) && s[n] != '\n' && s[n] != ',' && s[n] != '#')
		n++;
	return n;
}

/* ---- registers --------------------------------------------------------------- */

/* The view suffix bK: K bytes. */
static bool view_width(char k, u8 *width)
{
	switch (k) {
	case '1': *width = W1; return true;
	case '2': *width = W2; return true;
	case '4': *width = W4; return true;
	case '8': *width = W8; return true;
	}
	return false;
}

/* rN, rNb1, rNb2, rNb4, rNb8 (N 0-29), fp, sp.  pc is reported apart. */
static bool parse_register(const char *s, u32 len, u8 *reg, u8 *width)
{
	*width = W8;
	if (len == 2 && (!memcmp(s, "fp", 2) || !memcmp(s, "sp", 2))) {
		*reg = s[0] == 'f' ? RVM_FP : RVM_SP;
		return true;
	}
	if (len < 2 || s[0] != 'r' || !is_digit(s[1]))
		return false;
	u32 i = 1, n = 0;
	for (; i < len && is_digit(s[i]) && n < RVM_NGENERAL; i++)
		n = n * 10 + (u32)(s[i] - '0');
	if (n >= RVM_NGENERAL || (s[1] == '0' && i > 2))
		return false;
	*reg = (u8)n;
	if (i == len)
		return true;
	return i + 2 == len && s[i] == 'b' && view_width(s[i + 1], width);
}

/* Register names, and every name of r and a digit, are not labels. */
static bool reserved_for_registers(const char *s, u32 len)
{
	u8 reg, width;
	return parse_register(s, len, &reg, &width) || (len == 2 && !memcmp(s, "pc", 2)) ||
	       (s[0] == 'r' && is_digit(s[1]));
}

/* ---- constants --------------------------------------------------------------------- */

static int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* $xHEX: 1 to 16 hex digits. */
static bool parse_hex(const char *s, u32 len, u64 *v)
{
	if (len == 0 || len > 16)
		return false;
	*v = 0;
	for (u32 i = 0; i < len; i++) {
		int d = hex_digit(s[i]);
		if (d < 0)
			return false;
		*v = *v << 4 | (u64)d;
	}
	return true;
}

/* Decimal digits, at most 2^64 - 1. */
static bool parse_decimal(const char *s, u32 len, u64 *v)
{
	if (len == 0)
		return false;
	*v = 0;
	for (u32 i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		u64 d = (u64)(s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return false;
		*v = *v * 10 + d;
	}
	return true;
}

static bool has_float_syntax(const char *s, u32 len)
{
	for (u32 i = 0; i < len; i++)
		if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
			return true;
	return false;
}

/* [-]DIGITS[.DIGITS][e[+-]DIGITS], checked by hand before strtod (which
 * would also take hex, inf and nan). */
static bool parse_float(const char *s, u32 len, double *d)
{
	u32 i = s[0] == '-', digits = 0;
	for (; i < len && is_digit(s[i]); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit(s[i]); i++)
			digits++;
	if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i += i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-');
		u32 exp_digits = 0;
		for (i++; i < len && is_digit(s[i]); i++)
			exp_digits++;
		digits = exp_digits ? digits : 0;
	}
	if (!digits || i != len)
		return false;
	char *end;
	*d = strtod(s, &end); /* stops where our scan stopped: s[len] is no digit */
	return end == s + len;
}

/* $12, $-12, $x00aa, $1.5 */
static bool parse_constant(Asm *as, Operand *o)
{
	const char *s = as->src->text + o->pos + 1;
	u32 len = o->len - 1;
	o->kind = OPD_INT;
	if (len > 0 && s[0] == 'x')
		return parse_hex(s + 1, len - 1, &o->value);
	if (has_float_syntax(s, len)) {
		double d;
		if (!parse_float(s, len, &d))
			return false;
		o->kind = OPD_FLOAT;
		memcpy(&o->value, &d, 8);
		return true;
	}
	o->negative = len > 0 && s[0] == '-';
	if (!parse_decimal(s + o->negative, len - o->negative, &o->value))
		return false;
	if (o->negative && o->value > 1ull << 63)
		return false;
	o->value = o->negative ? -o->value : o->value;
	return true;
}

/* Whether an integer fits a view of `width`, as signed or as unsigned. */
static bool fits_width(u64 v, bool negative, u8 width)
{
	if (width == W8)
		return true;
	u32 bits = 8u << width;
	return negative ? (i64)v >= -(i64)(1ull << (bits - 1)) : v < 1ull << bits;
}

/* ---- operands -------------------------------------------------------------------- */

/* A register, pc or a label. */
static bool parse_name_operand(Asm *as, Operand *o)
{
	const char *s = as->src->text + o->pos;
	o->kind = OPD_REG;
	if (parse_register(s, o->len, &o->reg, &o->width))
		return true;
	o->kind = OPD_PC;
	if (o->len == 2 && !memcmp(s, "pc", 2))
		return true;
	if (s[0] == 'r' && is_digit(s[1])) {
		error_at(as->src, o->pos,
			 "unknown register '%.*s' (registers are r0-r29 with views rNb1 rNb2 rNb4 rNb8)",
			 (int)o->len, s);
		return false;
	}
	o->kind = OPD_LABEL;
	o->value = label_name(as, s, o->len);
	return o->value != NONE;
}

static bool parse_operand(Asm *as, Operand *o)
{
	const char *s = as->p;
	*o = (Operand){.pos = pos_of(as, s), .len = token_length(as, s)};
	as->p += o->len;
	if (o->len == 0) {
		error_at(as->src, o->pos, "expected an operand");
		return false;
	}
	if (s[0] == '$') {
		if (parse_constant(as, o))
			return true;
		error_at(as->src, o->pos, "bad constant '%.*s' (write $12, $-12, $x00aa or $1.5)",
			 (int)o->len, s);
		return false;
	}
	if (is_word_start(s[0]) && word_length(s) == o->len)
		return parse_name_operand(as, o);
	error_at(as->src, o->pos, "bad operand '%.*s'", (int)o->len, s);
	return false;
}

/* Parses up to 3 comma-separated operands; returns their count or -1. */
static int parse_operands(Asm *as, Operand *o)
{
	skip_blanks(as);
	if (at_statement_end(as))
		return 0;
	for (int n = 0;; n++) {
		if (n == 3) {
			error_at(as->src, pos_of(as, as->p), "too many operands (at most 3)");
			return -1;
		}
		if (!parse_operand(as, &o[n]))
			return -1;
		skip_blanks(as);
		if (*as->p != ',')
			return n + 1;
		as->p++;
		skip_blanks(as);
	}
}

/* ---- forms ------------------------------------------------------------------------- */

static bool kind_accepts(char kind, OpdKind k)
{
	switch (kind) {
	case 'R':
	case 'F': return k == OPD_REG;
	case 'P': return k == OPD_PC;
	case 'K': return k == OPD_INT || k == OPD_FLOAT || k == OPD_LABEL;
	case 'L': return k == OPD_INT || k == OPD_LABEL;
	}
	die("bad operand kind '%c' in RVM_OPS", kind);
}

/* The first operand the form does not accept, or n when all fit. */
static int first_mismatch(u32 form, const Operand *o, int n)
{
	const char *kinds = rvm_ops[form].ops;
	for (int i = 0; i < n; i++)
		if (!kind_accepts(kinds[i], o[i].kind))
			return i;
	return n;
}

static const char *kind_text(char kind)
{
	switch (kind) {
	case 'R':
	case 'F': return "a register";
	case 'P': return "pc";
	case 'K': return "a constant or a label";
	case 'L': return "a label or an address";
	}
	die("bad operand kind '%c' in RVM_OPS", kind);
}

static void report_mismatch(Asm *as, u32 form, const Operand *o, int n)
{
	const char *mn = rvm_ops[form].mn;
	int i = first_mismatch(form, o, n);
	if (o[i].kind == OPD_PC)
		error_at(as->src, o[i].pos, "'%s' cannot take pc (only cpy, push and pop can)", mn);
	else
		error_at(as->src, o[i].pos, "operand %d of '%s' must be %s, found '%.*s'", i + 1, mn,
			 kind_text(rvm_ops[form].ops[i]), (int)o[i].len, as->src->text + o[i].pos);
}

/* The form of mnemonic `mnem` that the operands fit, or NONE (reported). */
static u32 choose_form(Asm *as, u32 mnem, u32 mpos, const Operand *o, int n)
{
	u32 first = as->first_form.v[mnem];
	const char *mn = rvm_ops[first].mn;
	if (strlen(rvm_ops[first].ops) != (size_t)n) {
		error_at(as->src, mpos, "'%s' takes %zu operand%s, found %d", mn,
			 strlen(rvm_ops[first].ops), strlen(rvm_ops[first].ops) == 1 ? "" : "s", n);
		return NONE;
	}
	for (u32 f = first; f < RVM_NOPS && !strcmp(rvm_ops[f].mn, mn); f++)
		if (first_mismatch(f, o, n) == n)
			return f;
	report_mismatch(as, first, o, n);
	return NONE;
}

/* ---- operand checks and encoding ------------------------------------------------------ */

static bool check_float_view(Asm *as, const Operand *o)
{
	if (o->width >= W4)
		return true;
	error_at(as->src, o->pos, "'%.*s' is a %u-byte view; a float operand is 4 or 8 bytes",
		 (int)o->len, as->src->text + o->pos, 1u << o->width);
	return false;
}

/* The bits ldi writes for a constant into a view of `width`. */
static bool constant_bits(Asm *as, const Operand *o, u8 width, u64 *bits)
{
	if (o->kind == OPD_INT && !fits_width(o->value, o->negative, width)) {
		error_at(as->src, o->pos, "constant '%.*s' does not fit in %u byte%s", (int)o->len,
			 as->src->text + o->pos, 1u << width, width ? "s" : "");
		return false;
	}
	if (o->kind == OPD_FLOAT && width < W4) {
		error_at(as->src, o->pos, "a float constant needs a 4- or 8-byte destination");
		return false;
	}
	*bits = o->value;
	if (o->kind == OPD_FLOAT && width == W4) {
		double d;
		memcpy(&d, &o->value, 8);
		float f = (float)d;
		u32 b32;
		memcpy(&b32, &f, 4);
		*bits = b32;
	}
	return true;
}

static void add_fixup(Asm *as, const Operand *o, u32 konst, u8 width)
{
	bool label = o->kind == OPD_LABEL;
	vec_push(&as->fixups, ((Fixup){.index = as->words.n, .pos = o->pos,
				       .label = label ? (u32)o->value : NONE, .konst = konst,
				       .width = width, .address = label ? 0 : o->value}));
}

/* Encodes the K field of operand `o` (kind K or L); `dest` is the
 * destination of ldi. */
static bool encode_k(Asm *as, const Operand *o, char kind, const Operand *dest, u64 *k)
{
	if (kind == 'L') {
		if (o->kind == OPD_INT && o->negative) {
			error_at(as->src, o->pos, "an address cannot be negative");
			return false;
		}
		add_fixup(as, o, NONE, 0);
		*k = 0;
		return true;
	}
	*k = as->consts.n;
	u64 bits = 0;
	if (o->kind == OPD_LABEL)
		add_fixup(as, o, as->consts.n, dest->width);
	else if (!constant_bits(as, o, dest->width, &bits))
		return false;
	vec_push(&as->consts, bits);
	return true;
}

static bool encode(Asm *as, u32 form, const Operand *o, int n, u64 *word)
{
	const char *kinds = rvm_ops[form].ops;
	u64 w = form, k = 0;
	u32 field = 0;
	bool ok = true;
	for (int i = 0; i < n; i++) {
		if (kinds[i] == 'R' || kinds[i] == 'F') {
			ok &= kinds[i] == 'R' || check_float_view(as, &o[i]);
			w |= (u64)RVM_REG(o[i].reg, o[i].width) << (RVM_POS_A + field++ * RVM_SIZE_REG);
		} else if (kinds[i] == 'K' || kinds[i] == 'L') {
			ok = ok && encode_k(as, &o[i], kinds[i], &o[0], &k);
		}
	}
	*word = w | k << RVM_POS_K;
	return ok;
}

/* ---- lines --------------------------------------------------------------------------- */

static void use_label(Asm *as, u32 id)
{
	vec_cover(&as->labels, id, ((Label){.index = NONE}));
}

static void define_label(Asm *as, const char *s, u32 len)
{
	u32 pos = pos_of(as, s);
	if (reserved_for_registers(s, len)) {
		error_at(as->src, pos, "'%.*s' is reserved for registers and cannot be a label", (int)len,
			 s);
		return;
	}
	u32 id = label_name(as, s, len);
	if (id == NONE)
		return;
	use_label(as, id);
	Label *l = &as->labels.v[id];
	if (l->index != NONE) {
		error_at(as->src, pos, "label '%.*s' is defined twice", (int)len, s);
		note_at(as->src, l->pos, "first defined here");
		return;
	}
	*l = (Label){.index = as->words.n, .pos = pos};
}

static void parse_instruction(Asm *as, const char *mnem, u32 len)
{
	u32 mpos = pos_of(as, mnem), id = intern_lookup(&as->names, mnem, len); /* NONE: not one */
	if (id >= as->first_form.n) {
		error_at(as->src, mpos, "unknown instruction '%.*s'", (int)len, mnem);
		return;
	}
	Operand o[3];
	int n = parse_operands(as, o);
	if (n < 0)
		return;
	if (!at_statement_end(as)) {
		error_at(as->src, pos_of(as, as->p), "expected ',' or the end of the line, found '%.*s'",
			 (int)MAX(1, token_length(as, as->p)), as->p);
		return;
	}
	u32 form = choose_form(as, id, mpos, o, n);
	u64 word;
	if (form == NONE || !encode(as, form, o, n, &word))
		return;
	vec_push(&as->words, word);
	vec_push(&as->lines, as->line);
	as->last_start = mpos;
}

static void report_unexpected(Asm *as, const char *s)
{
	if ((u8)*s < 0x20 || (u8)*s >= 0x7f)
		error_at(as->src, pos_of(as, s), "unexpected byte 0x%02x", (u8)*s);
	else
		error_at(as->src, pos_of(as, s), "unexpected '%.*s'", (int)MAX(1, token_length(as, s)), s);
}

/* Labels ("name:"), then at most one instruction. */
static void parse_statement(Asm *as)
{
	while (!as->full) {
		skip_blanks(as);
		if (at_statement_end(as))
			return;
		const char *s = as->p;
		u32 len = word_length(s);
		if (len == 0) {
			report_unexpected(as, s);
			return;
		}
		as->p += len;
		if (*as->p != ':') {
			parse_instruction(as, s, len);
			return;
		}
		as->p++;
		define_label(as, s, len);
	}
}

static void parse_text(Asm *as)
{
	const char *end = as->src->text + as->src->len;
	as->p = as->src->text;
	for (as->line = 1; as->p < end && !as->full; as->line++) {
		const char *line = as->p;
		parse_statement(as);
		as->p = memchr(line, '\n', (size_t)(end - line));
		if (!as->p)
			break;
		as->p++;
	}
}

/* ---- the end of the file ------------------------------------------------------------------ */

/* The instruction index a label names, or NONE (reported). */
static u32 label_index(Asm *as, const Fixup *f)
{
	use_label(as, f->label);
	Label *l = &as->labels.v[f->label];
	l->used = true;
	if (l->index == NONE)
		error_at(as->src, f->pos, "undefined label '%s'", name_str(&as->names, f->label));
	return l->index;
}

/* ldi of a label: the constant is its address. */
static void resolve_constant(Asm *as, const Fixup *f, u32 target)
{
	if (!fits_width(target, false, f->width))
		error_at(as->src, f->pos, "the address of '%s' (%u) does not fit in %u byte%s",
			 name_str(&as->names, f->label), target, 1u << f->width, f->width ? "s" : "");
	as->consts.v[f->konst] = target;
}

static void resolve_fixup(Asm *as, const Fixup *f)
{
	u64 target = f->label == NONE ? f->address : label_index(as, f);
	if (target == NONE && f->label != NONE)
		return;
	if (f->konst != NONE)
		resolve_constant(as, f, (u32)target);
	else if (target < as->words.n)
		as->words.v[f->index] |= target << RVM_POS_K;
	else if (f->label != NONE)
		error_at(as->src, f->pos, "label '%s' names no instruction (it follows the last one)",
			 name_str(&as->names, f->label));
	else
		error_at(as->src, f->pos, "address %llu is outside the program (%u instructions)",
			 (unsigned long long)target, as->words.n);
}

static void warn_unused_labels(Asm *as)
{
	for (u32 id = 0; id < as->labels.n; id++) {
		Label *l = &as->labels.v[id];
		if (l->index != NONE && !l->used)
			warning_at(as->src, l->pos, "label '%s' is never used", name_str(&as->names, id));
	}
}

static void finish(Asm *as)
{
	if (as->words.n == 0) {
		if (diag_error_count == 0)
			error_at(as->src, 0, "the program has no instructions");
		return;
	}
	for (u32 i = 0; i < as->fixups.n; i++)
		resolve_fixup(as, &as->fixups.v[i]);
	warn_unused_labels(as);
	if (!rvm_ops[RVM_GET_OP(vec_last(&as->words))].ends)
		warning_at(as->src, as->last_start,
			   "execution can run past the last instruction (end with haltexe or a jump)");
}

/* ---- the image --------------------------------------------------------------------------- */

static void write_image(const Asm *as, Buf *image)
{
	size_t pathlen = strlen(as->src->path);
	buf_put(image, RVM_MAGIC, 4);
	buf_le(image, RVM_VERSION, 4);
	buf_le(image, as->words.n, 4);
	buf_le(image, as->consts.n, 4);
	buf_le(image, pathlen, 4);
	for (u32 i = 0; i < as->words.n; i++)
		buf_le(image, as->words.v[i], 8);
	for (u32 i = 0; i < as->consts.n; i++)
		buf_le(image, as->consts.v[i], 8);
	for (u32 i = 0; i < as->lines.n; i++)
		buf_le(image, as->lines.v[i], 4);
	buf_put(image, as->src->path, pathlen);
}

/* Mnemonics are interned first, so a name id below first_form.n is one. */
static void asm_init(Asm *as, SrcFile *src)
{
	*as = (Asm){.src = src};
	intern_init(&as->names);
	for (u32 f = 0; f < RVM_NOPS; f++) {
		u32 id = intern(&as->names, rvm_ops[f].mn, (u32)strlen(rvm_ops[f].mn));
		if (id == as->first_form.n)
			vec_push(&as->first_form, (u8)f);
	}
}

static void asm_free(Asm *as)
{
	intern_free(&as->names);
	vec_free(&as->first_form);
	vec_free(&as->labels);
	vec_free(&as->words);
	vec_free(&as->consts);
	vec_free(&as->lines);
	vec_free(&as->fixups);
}

bool rvm_assemble(SrcFile *src, Buf *image, const IsaOpts *o)
{
	(void)o;
	Asm as;
	int errors = diag_error_count;
	asm_init(&as, src);
	parse_text(&as);
	if (!as.full) /* labels may be defined after where it stopped */
		finish(&as);
	bool ok = diag_error_count == errors;
	if (ok)
		write_image(&as, image);
	asm_free(&as);
	return ok;
}
