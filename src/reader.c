/* reader.c - NIF text to a compact preorder tree.
 *
 * Grammar (NIF 2024, as decisions.md fixes it):
 *   node      ::= prefix* (atom | '(' tag node* ')')
 *   prefix    ::= lineinfo | comment
 *   lineinfo  ::= diff (',' diff (',' filename)?)?      diff ::= digits | '~' digits
 *   comment   ::= '#' any-but-'#' '#'
 *   atom      ::= '.' | ident | symbol | ':' symbol | number | char | string
 *   number    ::= ('+'|'-') digits ('.' digits)? ('E' ('+'|'-')? digits)? suffix?
 *   directive ::= '(' '.' ... ')'   skipped at the top level
 * The text is read in place: a node records its byte offset, names are
 * interned, and only big numbers and floats go to a side table.
 *
 * Speed (docs/internals.md): read_node is one loop over tokens whose common
 * shapes ("(tag", ")", names, small numbers, one-digit line information)
 * are inline, and whose rare ones (errors, comments, directives, strings,
 * floats, escapes, new names) are calls.  Names are looked up in a small
 * memo keyed by their bytes, found 8 bytes at a time, before the interner.
 */
#include "nifasm.h"

#include <stdio.h>
#include <stdlib.h>

/* for the helpers of read_node's loop, which must not become calls */
#define HOT static inline __attribute__((always_inline))
/* for the rare paths, so the loop keeps its registers */
#define COLD __attribute__((cold, noinline))

/* ---- character classes --------------------------------------------------- */

enum {
	CC_BAD, CC_WS, CC_OPEN, CC_CLOSE, CC_STR, CC_CHAR, CC_HASH, CC_SIGN,
	CC_DIGIT, CC_TILDE, CC_COMMA, CC_DOT, CC_COLON, CC_IDENT, CC_BACKSLASH, CC_NUL
};

static u8 cclass[256];
static u8 identchar[256]; /* may continue an identifier (letters, digits, _, >=128) */
static u8 namechar[256];  /* NAME_* bits of bytes that continue a name */

enum { NAME_CHAR = 1, NAME_DOT = 2, NAME_ESC = 4 };
static u8 hexval[256];    /* 0-15, or 0xff */

static void init_classes(void)
{
	if (cclass['('])
		return;
	for (int c = 0; c < 256; c++) {
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
		cclass[c] = alpha ? CC_IDENT : (c >= '0' && c <= '9') ? CC_DIGIT : CC_BAD;
		identchar[c] = alpha || (c >= '0' && c <= '9');
		hexval[c] = c >= '0' && c <= '9'   ? (u8)(c - '0')
			    : c >= 'A' && c <= 'F' ? (u8)(c - 'A' + 10)
			    : c >= 'a' && c <= 'f' ? (u8)(c - 'a' + 10)
						   : 0xff;
	}
	cclass[' '] = cclass['\t'] = cclass['\n'] = cclass['\r'] = CC_WS;
	cclass['('] = CC_OPEN, cclass[')'] = CC_CLOSE;
	cclass['"'] = CC_STR, cclass['\''] = CC_CHAR, cclass['#'] = CC_HASH;
	cclass['+'] = cclass['-'] = CC_SIGN;
	cclass['~'] = CC_TILDE, cclass[','] = CC_COMMA;
	cclass['.'] = CC_DOT, cclass[':'] = CC_COLON, cclass['\\'] = CC_BACKSLASH;
	cclass[0] = CC_NUL;
	for (int c = 0; c < 256; c++)
		namechar[c] = identchar[c] ? NAME_CHAR : c == '.' ? NAME_DOT : c == '\\' ? NAME_ESC : 0;
}

/* ---- tree helpers -------------------------------------------------------- */

void tree_clear(Tree *t) { t->nodes.n = t->nums.n = t->infos.n = 0; }

void tree_free(Tree *t)
{
	vec_free(&t->nodes);
	vec_free(&t->nums);
	vec_free(&t->infos);
}

i64 node_int(const Tree *t, u32 n)
{
	const Node *nd = &t->nodes.v[n];
	if (nd->flags & NF_BIG)
		return (i64)t->nums.v[nd->val];
	return nd->kind == N_INT ? (i64)(i32)nd->val : (i64)nd->val;
}

double node_float(const Tree *t, u32 n)
{
	double d;
	memcpy(&d, &t->nums.v[t->nodes.v[n].val], sizeof d);
	return d;
}

u32 node_kid(const Tree *t, u32 n, u32 k)
{
	for (u32 c = n + 1; c < node_end(t, n); c = node_next(t, c))
		if (k-- == 0)
			return c;
	return NONE;
}

void node_string(const Tree *t, const char *src, u32 n, Buf *out)
{
	const Node *nd = &t->nodes.v[n];
	const char *p = src + nd->pos + 1, *end = src + nd->pos + nd->val - 1;
	while (end[0] != '"') /* a string suffix follows the closing quote */
		end--;
	while (p < end) {
		if (*p == '\\') {
			buf_byte(out, (u8)(hexval[(u8)p[1]] << 4 | hexval[(u8)p[2]]));
			p += 3;
		} else {
			buf_byte(out, (u8)*p++);
		}
	}
}

Origin node_origin(const Tree *t, const Interner *in, u32 n)
{
	Origin o = {0};
	/* the innermost node at or above n that carries line information */
	for (u32 i = t->infos.n; i-- > 0;) {
		const LineInfo *li = &t->infos.v[i];
		if (li->node <= n && n < node_end(t, li->node)) {
			if (li->file == NONE)
				continue;
			o.file = name_str(in, li->file);
			o.filelen = name_len(in, li->file);
			o.line = li->line, o.col = li->col;
			return o;
		}
	}
	return o;
}

/* ---- errors -------------------------------------------------------------- */

static u32 fail(Reader *r, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), cold, noinline));

static u32 fail(Reader *r, const char *at, const char *fmt, ...)
{
	if (!r->failed) {
		va_list ap;
		va_start(ap, fmt);
		vdiag_at(DIAG_ERROR, r->file, (u32)(at - r->file->text), NULL, fmt, ap);
		va_end(ap);
	}
	r->failed = true;
	return NONE;
}

/* ---- setup --------------------------------------------------------------- */

static NameMemo *name_memo_new(void);

void reader_init(Reader *r, SrcFile *f, Interner *in, Tree *t, u32 module)
{
	init_classes();
	memset(r, 0, sizeof *r);
	r->file = f;
	r->cur = f->text;
	r->names = in;
	r->tree = t;
	r->module = module;
	if (!in->memo) /* names keep their ids, so every reader shares one memo */
		in->memo = name_memo_new();
	r->memo = in->memo;
	InfoFrame root = {0, NONE, 0};
	vec_push(&r->info, root);
}

void reader_init_at(Reader *r, SrcFile *f, Interner *in, Tree *t, u32 module, u32 pos,
		    InfoFrame info)
{
	reader_init(r, f, in, t, module);
	reader_restart_at(r, f, module, pos, info);
}

void reader_restart_at(Reader *r, SrcFile *f, u32 module, u32 pos, InfoFrame info)
{
	r->file = f;
	r->cur = f->text + pos;
	r->module = module;
	r->failed = false;
	r->pending = (InfoFrame){0};
	r->open.n = 0;
	r->info.n = 1;
	r->info.v[0] = info;
}

InfoFrame reader_info(const Reader *r) { return vec_last(&r->info); }

void reader_free(Reader *r)
{
	vec_free(&r->info);
	vec_free(&r->open);
	r->memo = NULL; /* the interner's */
}

/* Writes {kind, flags 0, tag, span 1, pos, val} as two words (little-
 * endian, see all.h); compilers store it field by field otherwise. */
HOT void put_node(Node *nd, u8 kind, u16 tag, u32 pos, u32 val)
{
	u64 w[2] = {kind | (u64)tag << 16 | (u64)1 << 32, pos | (u64)val << 32};
	memcpy(nd, w, sizeof w);
}

static u32 add_node(Tree *t, u8 kind, u16 tag, u32 pos, u32 val)
{
	vec_reserve(&t->nodes, 1);
	put_node(&t->nodes.v[t->nodes.n], kind, tag, pos, val);
	return t->nodes.n++;
}

/* A node that read_atom fills in. */
static u32 new_node(Reader *r, const char *at)
{
	return add_node(r->tree, N_EMPTY, 0, (u32)(at - r->file->text), 0);
}

/* read_node's copy of the tree's node vector, kept in registers; the
 * tree's count is stale until read_node returns (or calls
 * skip_directive).  Its v is always the tree's, so read_atom may fill in
 * out.v[n]. */
typedef struct NodeOut {
	Node *v;
	u32 n, cap;
} NodeOut;

static __attribute__((noinline)) void grow_nodes(NodeOut *out, Tree *t)
{
	t->nodes.n = out->n;
	vec_reserve(&t->nodes, 1);
	out->v = t->nodes.v;
	out->cap = t->nodes.cap;
}

HOT u32 out_node(NodeOut *out, Tree *t, u8 kind, u16 tag, u32 pos, u32 val)
{
	if (UNLIKELY(out->n == out->cap)) {
		NodeOut grown = *out; /* keeps *out in registers */
		grow_nodes(&grown, t);
		*out = grown;
	}
	put_node(&out->v[out->n], kind, tag, pos, val);
	return out->n++;
}

/* ---- names ------------------------------------------------------------------
 * Generated code repeats a few names (tags, registers, the current proc's
 * locals) over and over, so a small direct-mapped memo keyed by the name's
 * bytes sits in front of the interner.  For a name of up to 15 bytes that
 * it knows, the end is found 8 bytes at a time and a hit costs a multiply,
 * a load and a compare; the interner's large table is not touched.  Only
 * plain names (no escape, no trailing dot) that start like an identifier
 * enter the memo, so a hit also proves that the name is well formed.  They
 * have no NUL byte, so their zero-padded words alone identify them.  A
 * miss interns as before, so every name gets the same id as without the
 * memo.
 */

/* What a name is to the reader: its id, the Tag it is as a tag, and
 * whether it has a '.' (a symbol). */
typedef struct NameInfo {
	u32 id;
	u16 tag;
	bool dot;
} NameInfo;

enum { MEMO_BITS = 10 };

typedef struct ShortName {
	u64 key; /* 1 to 8 bytes */
	NameInfo name;
} ShortName;

typedef struct LongName {
	u64 lo, hi; /* 9 to 16 bytes */
	NameInfo name;
} LongName;

struct NameMemo {
	ShortName small[1 << MEMO_BITS];
	LongName large[1 << MEMO_BITS];
};

/* Empty slots hold the key 1: no name starts with byte 1, so no lookup
 * matches them, not even that of an empty name (key 0). */
static NameMemo *name_memo_new(void)
{
	NameMemo *m = xcalloc(1, sizeof(NameMemo));
	for (u32 i = 0; i < COUNTOF(m->small); i++)
		m->small[i].key = m->large[i].lo = 1;
	return m;
}

HOT u32 memo_slot(u64 key)
{
	return (u32)((key * HASH_K1) >> (64 - MEMO_BITS));
}

static NameInfo name_info(u32 id, bool dot)
{
	return (NameInfo){id, id < TAG__COUNT ? (u16)id : TAG_UNKNOWN, dot};
}

/* id, or the input's error at `at` when it is NONE: a new name that does
 * not fit in the interner. */
static u32 name_fits(Reader *r, const char *at, u32 id)
{
	return id == NONE ? fail(r, at, INTERN_FULL_MESSAGE) : id;
}

/* A name the memo does not know, from the interner (read_file pads the
 * text, so it is readable for 8 bytes past s + len); id NONE when it does
 * not fit. */
static NameInfo intern_name(Reader *r, const char *s, u32 len, bool dot)
{
	return name_info(name_fits(r, s, intern_input_padded(r->names, s, len)), dot);
}

/* Interns a plain name and enters it in the memo, which keeps only names
 * the interner has: a hit must be a name. */
static NameInfo lookup_name(Reader *r, const char *s, u32 len, bool dot)
{
	if (cclass[(u8)*s] != CC_IDENT) /* ":1a" */
		return intern_name(r, s, len, dot);
	if (len - 1 < 8) {
		u64 key = first_bytes(load_u64(s), len);
		ShortName *m = &r->memo->small[memo_slot(key)];
		if (m->key == key)
			return m->name;
		NameInfo name = intern_name(r, s, len, dot);
		if (name.id != NONE)
			*m = (ShortName){key, name};
		return name;
	}
	if (len - 9 < 8) {
		u64 lo = load_u64(s), hi = first_bytes(load_u64(s + 8), len - 8);
		LongName *m = &r->memo->large[memo_slot(lo ^ hi * HASH_K2)];
		if (m->lo == lo && m->hi == hi)
			return m->name;
		NameInfo name = intern_name(r, s, len, dot);
		if (name.id != NONE)
			*m = (LongName){lo, hi, name};
		return name;
	}
	return intern_name(r, s, len, dot);
}

/* Where a name may end in w: the bytes below '.', as 0x80 bits.  They are
 * never name characters, and they include the usual ends of a name
 * (space, newline, parentheses, NUL).  Other ends (':', '[', ...) are
 * not found, but then the candidate holds a byte no memo entry has.  Only
 * the lowest bit is sure (a borrow can flag a byte above it), which is
 * the one used. */
HOT u64 name_stops(u64 w)
{
	return (w - 0x2e2e2e2e2e2e2e2eull) & ~w & 0x8080808080808080ull;
}

/* The bytes of w before its first stop (stops != 0), the rest zero.  The
 * lowest set bit and all below it, shifted out by a byte; no table load,
 * so the memo lookup can start sooner. */
HOT u64 before_stop(u64 w, u64 stops)
{
	return w & ((stops ^ (stops - 1)) >> 8);
}

/* scan_known_name for 8 to 15 bytes.  The first 8 have no stop byte, so
 * no NUL either: they lie before the text's end and the next 8 are
 * readable. */
static __attribute__((noinline)) NameInfo scan_known_long_name(Reader *r, const char *p,
								const char **end)
{
	u64 lo = load_u64(p), hi = load_u64(p + 8), stops = name_stops(hi);
	u32 len = stops ? 8 + (u32)__builtin_ctzll(stops) / 8 : 0;
	*end = NULL;
	if (len == 8) {
		const ShortName *m = &r->memo->small[memo_slot(lo)];
		if (m->key == lo)
			return *end = p + len, m->name;
	} else if (len) {
		hi = before_stop(hi, stops);
		const LongName *m = &r->memo->large[memo_slot(lo ^ hi * HASH_K2)];
		if (m->lo == lo && m->hi == hi)
			return *end = p + len, m->name;
	}
	return (NameInfo){0};
}

/* scan_name's fast path, for a name the memo knows, without a loop: the
 * end is the first stop byte, and a memo hit proves that the bytes before
 * it are a name scan_name accepted, which ends there.  *end is NULL to
 * leave the name to the byte loop. */
HOT NameInfo scan_known_name(Reader *r, const char *p, const char **end)
{
	u64 w = load_u64(p), stops = name_stops(w);
	if (UNLIKELY(!stops)) {
		const char *long_end; /* keeps *end out of memory */
		NameInfo name = scan_known_long_name(r, p, &long_end);
		*end = long_end;
		return name;
	}
	u64 key = before_stop(w, stops);
	const ShortName *m = &r->memo->small[memo_slot(key)];
	*end = LIKELY(m->key == key) ? p + (u32)__builtin_ctzll(stops) / 8 : NULL;
	return m->name;
}

static const char *read_escape(Reader *r, const char *p, u8 *out)
{
	u8 hi = hexval[(u8)p[1]], lo = hi == 0xff ? 0xff : hexval[(u8)p[2]];
	if (hi == 0xff || lo == 0xff)
		return fail(r, p, "bad escape: '\\' must be followed by two hex digits"), NULL;
	*out = (u8)(hi << 4 | lo);
	return p + 3;
}

/* A name with escapes or a trailing dot: decodes the escapes, expands the
 * dot.  Returns the name id, or NONE after an error. */
static COLD u32 scan_name_slow(Reader *r, const char *start, const char *p, bool trailing_dot)
{
	Buf b = {0};
	for (const char *q = start; q < p;) {
		u8 c;
		if (*q == '\\') {
			if (!(q = read_escape(r, q, &c)))
				return buf_free(&b), NONE;
		} else {
			c = (u8)*q++;
		}
		buf_byte(&b, c);
	}
	if (trailing_dot) /* foo.0. is foo.0.<module> */
		buf_put(&b, name_str(r->names, r->module), name_len(r->names, r->module));
	u32 id = name_fits(r, start, intern_input(r->names, (const char *)b.p, (u32)b.n));
	buf_free(&b);
	return id;
}

/* The byte loop of scan_name, for names the memo does not know.  An
 * escape's two hex digits are name characters, so one loop finds the end. */
static __attribute__((noinline)) NameInfo scan_new_name(Reader *r, const char *p,
							const char **end)
{
	const char *start = p;
	while (namechar[(u8)*p] == NAME_CHAR) /* most names are letters and digits only */
		p++;
	u8 flags = 0, k;
	while ((k = namechar[(u8)*p]) != 0)
		flags |= k, p++;
	bool dot = flags & NAME_DOT, trailing_dot = dot && p[-1] == '.';
	NameInfo name = UNLIKELY((flags & NAME_ESC) || trailing_dot)
			    ? name_info(scan_name_slow(r, start, p, trailing_dot), dot)
			    : lookup_name(r, start, (u32)(p - start), dot);
	*end = name.id == NONE ? NULL : p;
	return name;
}

/* Scans an identifier or symbol at p and interns it; *end is after it,
 * or NULL after an error.  (Names travel by value: written through a
 * pointer, compilers kept them in memory.) */
HOT NameInfo scan_name(Reader *r, const char *p, const char **end)
{
	const char *q;
	NameInfo name = scan_known_name(r, p, &q);
	if (LIKELY(q)) {
		*end = q;
		return name;
	}
	name = scan_new_name(r, p, &q);
	*end = q;
	return name;
}

/* ---- line information ----------------------------------------------------- */

/* Line information read before a node waits in Reader.pending until the
 * node comes; its `file` is NONE for the relative forms, whose line diff is
 * 0 when absent.  The readers keep a pointer to its text in a local,
 * `info_at`, which is NULL when there is none.  (Keeping the numbers in the
 * Reader rather than in locals leaves the hot loop's registers alone.) */

/* read_diff for the rare shapes: more than 9 digits, or '~' without any.
 * Accumulation saturates above INT32_MAX, so no digit count wraps. */
static COLD const char *read_diff_slow(Reader *r, const char *p, i32 *out)
{
	bool neg = *p == '~';
	p += neg;
	if (neg && (u8)(*p - '0') > 9)
		return fail(r, p, "expected digits after '~' in line information"), NULL;
	u64 v = 0;
	const char *start = p;
	for (u8 d; (d = (u8)(*p - '0')) <= 9; p++)
		v = v > INT32_MAX ? v : v * 10 + d;
	if (v > INT32_MAX)
		return fail(r, start, "line information number too large"), NULL;
	*out = (i32)(neg ? -(i64)v : (i64)v);
	return p;
}

/* A diff: optional '~' (minus), then digits, possibly none. */
HOT const char *read_diff(Reader *r, const char *p, i32 *out)
{
	u32 d0 = (u32)((u8)p[0] - '0');
	if (LIKELY(d0 <= 9 && (u32)((u8)p[1] - '0') > 9)) { /* the common diff: one digit */
		*out = (i32)d0;
		return p + 1;
	}
	const char *start = p + (*p == '~');
	const char *q = start;
	u32 v = 0;
	for (u32 d; (d = (u32)((u8)*q - '0')) <= 9; q++)
		v = v * 10 + d;
	if (UNLIKELY(q - start > 9 || (start != p && q == start))) {
		i32 slow; /* keeps *out in a register */
		q = read_diff_slow(r, p, &slow);
		*out = slow;
		return q;
	}
	*out = start != p ? -(i32)v : (i32)v;
	return q;
}

/* The file name of absolute line information: up to a space or paren. */
static COLD const char *read_info_file(Reader *r, const char *p, u32 *file)
{
	const char *start = p;
	while (*p && cclass[(u8)*p] != CC_WS && cclass[(u8)*p] != CC_OPEN &&
	       cclass[(u8)*p] != CC_CLOSE)
		p++;
	if (p == start)
		return fail(r, p, "expected a file name in line information"), NULL;
	*file = name_fits(r, start, intern_input(r->names, start, (u32)(p - start)));
	return *file == NONE ? NULL : p;
}

/* Reads line information into r->pending. */
HOT const char *read_lineinfo(Reader *r, const char *p)
{
	i32 col = 0, line = 0;
	u32 file = NONE; /* apart from col and line, so they stay in registers */
	if ((p = read_diff(r, p, &col)) && *p == ',' && (p = read_diff(r, p + 1, &line)) &&
	    *p == ',')
		p = read_info_file(r, p + 1, &file);
	r->pending = (InfoFrame){line, file, col};
	return p;
}

static COLD u32 info_twice(Reader *r, const char *p)
{
	return fail(r, p, "line information given twice; a number needs its sign, as in +%c", *p);
}

/* Resolves pending line information against the enclosing node's.  The
 * sums wrap instead of overflowing (huge diffs are the input's business). */
HOT InfoFrame resolve_info(Reader *r)
{
	InfoFrame f = vec_last(&r->info), d = r->pending;
	if (d.file != NONE)
		return d;
	f.col = (i32)((u32)f.col + (u32)d.col);
	f.line = (i32)((u32)f.line + (u32)d.line);
	return f;
}

HOT void attach_info(Tree *t, u32 n, const InfoFrame *f)
{
	t->nodes.v[n].flags |= NF_INFO;
	LineInfo li = {n, f->file, f->line, f->col};
	vec_push(&t->infos, li);
}

/* ---- skipping whitespace, comments and prefixes ---------------------------- */

/* The text ends at its first NUL at or past its length (it is padded with
 * NULs); a NUL before that is a byte of the input. */
static inline bool at_end(const Reader *r, const char *p)
{
	return *p == 0 && p >= r->file->text + r->file->len;
}

/* A directive "(.name ...)": only at the top level.  (In this order the
 * test costs read_node's loop nothing; '(' first cost it 0.4 %.)  The text
 * is padded, so p[1] is readable. */
static inline bool at_directive(const Reader *r, const char *p)
{
	return p[1] == '.' && r->open.n == 0 && *p == '(';
}

static COLD const char *skip_comment(Reader *r, const char *p)
{
	const char *start = p++;
	while (*p != '#') {
		if (at_end(r, p))
			return fail(r, start, "unterminated comment"), NULL;
		p++;
	}
	return p + 1;
}

/* Skips whitespace and comments, collecting line information (*info_at).
 * (read_node has its own copy of this loop, inline.) */
static const char *skip_space(Reader *r, const char *p, const char **info_at)
{
	for (;;) {
		while (cclass[(u8)*p] == CC_WS)
			p++;
		switch (cclass[(u8)*p]) {
		case CC_HASH:
			if (!(p = skip_comment(r, p)))
				return NULL;
			break;
		case CC_DIGIT:
		case CC_TILDE:
		case CC_COMMA:
			if (*info_at)
				return info_twice(r, p), NULL;
			*info_at = p;
			if (!(p = read_lineinfo(r, p)))
				return NULL;
			break;
		default:
			return p;
		}
	}
}

/* ---- atoms ------------------------------------------------------------------ */

HOT const char *read_name(Reader *r, const char *p, u32 n, bool def)
{
	const char *start = p;
	NameInfo name = scan_name(r, p, &p);
	if (!p)
		return NULL;
	if (UNLIKELY(*start == '.' || (def && start == p)))
		return fail(r, start, "expected a symbol after ':'"), NULL;
	Node *nd = &r->tree->nodes.v[n];
	nd->kind = def ? N_SYMDEF : name.dot ? N_SYM : N_IDENT;
	nd->val = name.id;
	return p;
}

static void set_number(Reader *r, u32 n, u8 kind, u64 bits, bool small)
{
	Node *nd = &r->tree->nodes.v[n];
	nd->kind = kind;
	if (small) {
		nd->val = (u32)bits;
	} else {
		nd->flags |= NF_BIG;
		nd->val = r->tree->nums.n;
		vec_push(&r->tree->nums, bits);
	}
}

static const char *read_float(Reader *r, const char *start, const char *p, u32 n)
{
	if (*p == '.') {
		if (cclass[(u8)*++p] != CC_DIGIT)
			return fail(r, p, "expected digits after '.' in a number"), NULL;
		while (cclass[(u8)*p] == CC_DIGIT)
			p++;
	}
	if (*p == 'E') {
		p += p[1] == '+' || p[1] == '-';
		if (cclass[(u8)*++p] != CC_DIGIT)
			return fail(r, p, "expected digits in the exponent"), NULL;
		while (cclass[(u8)*p] == CC_DIGIT)
			p++;
	}
	char tmp[128];
	size_t len = (size_t)(p - start);
	if (len >= sizeof tmp)
		return fail(r, start, "floating-point number too long"), NULL;
	memcpy(tmp, start, len);
	tmp[len] = 0;
	double d = strtod(tmp, NULL);
	u64 bits;
	memcpy(&bits, &d, sizeof bits);
	set_number(r, n, N_FLOAT, bits, false);
	return p;
}

/* A suffix such as u32 or i8 records the source spelling only. */
HOT const char *skip_number_suffix(const char *p)
{
	if (*p >= 'a' && *p <= 'z')
		while (identchar[(u8)*p])
			p++;
	return p;
}

/* Every number read_number leaves: floats, more than 9 digits, errors. */
static COLD const char *read_number_slow(Reader *r, const char *p, u32 n)
{
	const char *start = p;
	bool neg = *p++ == '-';
	if (cclass[(u8)*p] != CC_DIGIT)
		return fail(r, start, "expected digits after '%c'", *start), NULL;
	u64 v = 0;
	bool overflow = false;
	while (cclass[(u8)*p] == CC_DIGIT) {
		u64 d = (u64)(*p++ - '0');
		overflow |= v > (UINT64_MAX - d) / 10;
		v = v * 10 + d;
	}
	if (*p == '.' || *p == 'E') {
		if (!(p = read_float(r, start, p, n)))
			return NULL;
	} else {
		bool unsig = *p == 'u';
		if (overflow || (unsig && neg) || (!unsig && v > (u64)INT64_MAX + neg))
			return fail(r, start, unsig && neg ? "an unsigned number cannot be negative"
							   : "number does not fit in 64 bits"), NULL;
		if (unsig) {
			set_number(r, n, N_UINT, v, v <= UINT32_MAX);
		} else {
			i64 s = neg ? (i64)(0 - v) : (i64)v;
			set_number(r, n, N_INT, (u64)s, s >= INT32_MIN && s <= INT32_MAX);
		}
	}
	return skip_number_suffix(p);
}

/* The common number, a sign and 1 to 9 digits without fraction or
 * exponent, fits val whatever its sign; read_number_slow has the rest. */
HOT const char *read_number(Reader *r, const char *p, u32 n)
{
	const char *q = p + 1;
	u32 v = 0;
	for (u32 d; (d = (u32)((u8)*q - '0')) <= 9; q++)
		v = v * 10 + d;
	bool neg = *p == '-', unsig = *q == 'u';
	if (UNLIKELY((u32)(q - p - 2) >= 9 || *q == '.' || *q == 'E' || (unsig && neg)))
		return read_number_slow(r, p, n);
	Node *nd = &r->tree->nodes.v[n];
	nd->kind = unsig ? N_UINT : N_INT;
	nd->val = neg ? 0 - v : v;
	return skip_number_suffix(q);
}

static const char *read_char(Reader *r, const char *p, u32 n)
{
	const char *start = p++;
	u8 c = (u8)*p;
	if (c == '\\') {
		if (!(p = read_escape(r, p, &c)))
			return NULL;
	} else if (c < 32 || c == '\'') {
		return fail(r, start, "bad character literal"), NULL;
	} else {
		p++;
	}
	if (*p != '\'')
		return fail(r, start, "unterminated character literal"), NULL;
	Node *nd = &r->tree->nodes.v[n];
	nd->kind = N_CHAR;
	nd->val = c;
	return p + 1;
}

/* The bytes of w equal to c, as 0x80 bits.  Only the lowest bit is sure
 * (a borrow can flag a byte above a match), which is all a scan needs. */
HOT u64 bytes_equal(u64 w, u8 c)
{
	u64 v = w ^ 0x0101010101010101ull * c;
	return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

static const char *read_string(Reader *r, const char *p, u32 n)
{
	const char *start = p++;
	for (;;) {
		/* to the next '"', '\\' or NUL, 8 bytes at a time: the text is
		 * readable for 8 bytes past any byte before its end */
		u64 w = load_u64(p), stops = bytes_equal(w, '"') | bytes_equal(w, '\\') | bytes_equal(w, 0);
		if (!stops) {
			p += 8;
			continue;
		}
		p += __builtin_ctzll(stops) / 8;
		u8 c = (u8)*p;
		if (c == '"')
			break;
		if (c == '\\') {
			if (!read_escape(r, p, &c))
				return NULL;
			p += 3;
		} else if (at_end(r, p)) {
			return fail(r, start, "unterminated string literal"), NULL;
		} else {
			p++;
		}
	}
	p++;
	while (identchar[(u8)*p]) /* string suffix: records the source spelling only */
		p++;
	Node *nd = &r->tree->nodes.v[n];
	nd->kind = N_STR;
	nd->val = (u32)(p - start);
	return p;
}

/* Reads any atom into node n (read_node inlines the common ones). */
static __attribute__((noinline)) const char *read_atom(Reader *r, const char *p, u32 n)
{
	switch (cclass[(u8)*p]) {
	case CC_IDENT:
	case CC_BACKSLASH:
		return read_name(r, p, n, false);
	case CC_COLON:
		return read_name(r, p + 1, n, true);
	case CC_SIGN:
		return read_number(r, p, n);
	case CC_STR:
		return read_string(r, p, n);
	case CC_CHAR:
		return read_char(r, p, n);
	case CC_DOT:
		if (identchar[(u8)p[1]])
			return fail(r, p, "a name cannot start with '.'"), NULL;
		return p + 1; /* N_EMPTY */
	default:
		if (*p == 0)
			return fail(r, p, "unexpected NUL byte"), NULL;
		return fail(r, p, "unexpected character '%c'", *p), NULL;
	}
}

/* ---- compound nodes ------------------------------------------------------------ */

/* Reads a tag at p; *end is after it, or NULL after an error.  (read_node
 * tries the memo first and comes here for new tags and errors; inline, so
 * its end pointer stays in a register.) */
HOT NameInfo read_tag(Reader *r, const char *p, const char **end)
{
	*end = NULL;
	if (UNLIKELY(cclass[(u8)*p] != CC_IDENT)) {
		if (*p == '.')
			return fail(r, p - 1, "a directive must stand at the top level"), (NameInfo){0};
		if (*p != '\\')
			return fail(r, p - 1, "expected a tag after '('"), (NameInfo){0};
	}
	NameInfo name = scan_name(r, p, end);
	if (UNLIKELY(name.dot) && *end) {
		*end = NULL;
		fail(r, p, "a tag cannot contain '.'");
	}
	return name;
}

/* Skips a directive "(.name ...)"; directives may nest nodes. */
static COLD const char *skip_directive(Reader *r, const char *p)
{
	const char *start = p;
	r->cur = p + 2;
	u32 depth = 1;
	while (depth > 0) {
		const char *info_at = NULL;
		const char *q = skip_space(r, r->cur, &info_at);
		if (!q)
			return NULL;
		if (*q == ')') {
			depth--, q++;
		} else if (*q == '(') {
			depth++, q++;
		} else if (at_end(r, q)) {
			return fail(r, start, "unclosed directive"), NULL;
		} else {
			u32 mark = r->tree->nodes.n, n = new_node(r, q);
			q = read_atom(r, q, n);
			r->tree->nodes.n = mark;
			if (!q)
				return NULL;
		}
		r->cur = q;
	}
	return r->cur;
}

/* Opens a compound node.  Only a node with line information pushes an
 * info frame; the others share their parent's. */
HOT void push_open(Reader *r, u32 node, u32 pos, bool has_info)
{
	u32 outer_info = r->info.n;
	if (has_info) {
		InfoFrame f = resolve_info(r);
		attach_info(r->tree, node, &f);
		vec_push(&r->info, f);
	}
	vec_reserve(&r->open, 1);
	r->open.v[r->open.n++] = (OpenList){node, pos, outer_info};
}


/* Closes the innermost open list; returns its node (NONE for read_open's),
 * whose span the caller sets. */
HOT u32 pop_open(Reader *r)
{
	const OpenList *o = &r->open.v[--r->open.n];
	r->info.n = o->outer_info;
	return o->node;
}

/* A closed list's node spans the nodes after it, up to count. */
HOT void set_span(Node *nodes, u32 count, u32 node)
{
	nodes[node].span = count - node;
}

static COLD u32 unclosed(Reader *r)
{
	return fail(r, r->file->text + vec_last(&r->open).pos, "unclosed '(': missing ')'");
}

/* The input ended where read_node expected a node or a ')'. */
static COLD u32 end_of_input(Reader *r, const char *p, const char *info_at, u32 base)
{
	r->cur = p;
	if (info_at)
		return fail(r, info_at, "line information must be followed by a node");
	return r->open.n == base ? NONE : unclosed(r);
}

/* The hot loop: one token per iteration, the common shapes inline, every
 * rare one (errors, comments, directives, strings, floats, escapes, new
 * names) out of line.  "(a (b", "))", "x)" and "3,1(" skip the dispatch. */
HOT u32 read_nodes(Reader *r, NodeOut *out)
{
	Tree *t = r->tree;
	const char *text = r->file->text, *p = r->cur;
	const u32 base = r->open.n, first = out->n;
	const char *info_at = NULL;
	for (;;) {
		u8 cls = cclass[(u8)*p];
		while (cls == CC_WS)
			cls = cclass[(u8)*++p];
		u32 n;
		switch (cls) {
		case CC_DIGIT:
		case CC_TILDE:
		case CC_COMMA:
			if (UNLIKELY(info_at))
				return info_twice(r, p);
			info_at = p;
			if (!(p = read_lineinfo(r, p)))
				return NONE;
			if (*p == '(') /* "3,1(mov": no dispatch */
				goto open;
			continue;
		case CC_HASH:
			if (!(p = skip_comment(r, p)))
				return NONE;
			continue;
		case CC_OPEN:
		open: {
			const char *q;
			NameInfo name = scan_known_name(r, p + 1, &q);
			if (UNLIKELY(!q || name.dot)) { /* not a known tag */
				if (at_directive(r, p)) {
					t->nodes.n = out->n;
					if (!(p = skip_directive(r, p)))
						return NONE;
					info_at = NULL; /* line information before it is dropped */
					continue;
				}
				name = read_tag(r, p + 1, &q);
				if (!q)
					return NONE;
			}
			n = out_node(out, t, N_TREE, name.tag, (u32)(p - text), name.id);
			if (*q == ')') { /* "(tag)" is complete: no need to open it */
				p = q + 1;
				break;
			}
			push_open(r, n, (u32)(p - text), info_at);
			info_at = NULL;
			p = q;
			if (p[0] == ' ' && p[1] == '(') { /* "(mov (rax": no dispatch */
				p++;
				goto open;
			}
			continue;
		}
		case CC_CLOSE:
			if (UNLIKELY(info_at))
				return fail(r, info_at, "line information must be followed by a node "
						      "(a number needs its sign, as in +1)");
			if (r->open.n == base) {
				r->cur = p;
				return NONE;
			}
		close:
			set_span(out->v, out->n, pop_open(r)); /* read_node's own lists have nodes */
			p++;
			if (r->open.n == base)
				goto done;
			if (*p == ')') /* "))": no dispatch */
				goto close;
			continue;
		case CC_IDENT: {
			const char *q;
			NameInfo name = scan_name(r, p, &q);
			if (!q)
				return NONE;
			n = out_node(out, t, name.dot ? N_SYM : N_IDENT, 0, (u32)(p - text), name.id);
			p = q;
			break;
		}
		case CC_COLON: {
			const char *q;
			NameInfo name = scan_known_name(r, p + 1, &q);
			if (LIKELY(q)) {
				n = out_node(out, t, N_SYMDEF, 0, (u32)(p - text), name.id);
				p = q;
			} else { /* a new name, or ":" alone, ":.", ":\41" */
				n = out_node(out, t, N_EMPTY, 0, (u32)(p - text), 0);
				p = read_atom(r, p, n);
			}
			break;
		}
		case CC_SIGN:
			n = out_node(out, t, N_EMPTY, 0, (u32)(p - text), 0);
			p = read_number(r, p, n);
			break;
		default:
			if (UNLIKELY(at_end(r, p)))
				return end_of_input(r, p, info_at, base);
			n = out_node(out, t, N_EMPTY, 0, (u32)(p - text), 0);
			p = read_atom(r, p, n);
			break;
		}
		/* a complete node n was read: an atom or "(tag)" */
		if (!p)
			return NONE;
		if (info_at) {
			InfoFrame f = resolve_info(r);
			attach_info(t, n, &f);
			info_at = NULL;
		}
		if (r->open.n == base)
			break;
		if (*p == ')') /* "x)": no dispatch */
			goto close;
	}
done:
	r->cur = p;
	return first;
}

u32 read_node(Reader *r)
{
	if (r->failed)
		return NONE;
	Tree *t = r->tree;
	NodeOut out = {t->nodes.v, t->nodes.n, t->nodes.cap};
	u32 n = read_nodes(r, &out);
	t->nodes.n = out.n;
	return n;
}

u32 read_open(Reader *r)
{
	if (r->failed)
		return NONE;
	const char *p = r->cur;
	for (;;) {
		const char *info_at = NULL;
		if (!(p = skip_space(r, p, &info_at)))
			return NONE;
		if (at_directive(r, p)) {
			if (!(p = skip_directive(r, p)))
				return NONE;
			continue;
		}
		if (*p != '(') {
			r->cur = p;
			return NONE;
		}
		const char *q;
		NameInfo name = read_tag(r, p + 1, &q);
		if (!q)
			return NONE;
		u32 pos = (u32)(p - r->file->text);
		u32 n = add_node(r->tree, N_TREE, name.tag, pos, name.id);
		push_open(r, n, pos, info_at);
		r->open.v[r->open.n - 1].node = NONE; /* the caller may clear the tree */
		p = q;
		r->cur = p;
		return n;
	}
}

bool read_close(Reader *r)
{
	if (r->failed)
		return false;
	const char *info_at = NULL;
	const char *p = skip_space(r, r->cur, &info_at);
	if (!p)
		return false;
	if (*p != ')') {
		if (at_end(r, p))
			return unclosed(r), false;
		return fail(r, p, "expected ')'"), false;
	}
	u32 node = pop_open(r);
	if (node != NONE)
		set_span(r->tree->nodes.v, r->tree->nodes.n, node);
	r->cur = p + 1;
	return true;
}

bool read_skip(Reader *r)
{
	u32 mark = r->tree->nodes.n, infos = r->tree->infos.n;
	u32 n = read_node(r);
	r->tree->nodes.n = mark;
	r->tree->infos.n = infos;
	return n != NONE;
}

/* ---- skipping without building ---------------------------------------- */

enum { SK_PLAIN, SK_OPEN, SK_CLOSE, SK_STR, SK_HASH, SK_CHAR, SK_NUL };
static u8 skip_class[256];

static void init_skip_class(void)
{
	skip_class['('] = SK_OPEN, skip_class[')'] = SK_CLOSE, skip_class['"'] = SK_STR;
	skip_class['#'] = SK_HASH, skip_class['\''] = SK_CHAR, skip_class[0] = SK_NUL;
}

/* The end of a well-formed character literal starting at p, or NULL. */
static const char *skip_char(const char *p)
{
	if (p[1] == '\\')
		return hexval[(u8)p[2]] < 16 && hexval[(u8)p[3]] < 16 && p[4] == '\'' ? p + 5 : NULL;
	return (u8)p[1] >= 32 && p[1] != '\'' && p[2] == '\'' ? p + 3 : NULL;
}

/* Steps over the string, comment or character literal at p; NULL when it
 * is not plainly well formed. */
static const char *skip_special(const char *p)
{
	if (*p == '"' || *p == '#') {
		const char *end = strchr(p + 1, *p); /* the text ends in NUL bytes */
		return end ? end + 1 : NULL;
	}
	return *p == '\'' ? skip_char(p) : NULL;
}

/* One byte at a time: the ')' that closes the list, or where to go on. */
static const char *close_in_bytes(const char *p, const char *stop, u32 *depth, bool *found)
{
	*found = false;
	while (p < stop) {
		u8 k = skip_class[(u8)*p];
		if (k == SK_OPEN)
			++*depth, p++;
		else if (k == SK_CLOSE && (*depth)-- == 0)
			return *found = true, p;
		else if (k >= SK_STR) {
			if (!(p = skip_special(p)))
				return NULL;
		} else
			p++;
	}
	return p;
}

/* ---- skipping a body a block at a time ------------------------------------------
 * A block of bytes without strings, characters or comments (nearly all of
 * a proc's body) is done without walking its parentheses: the running
 * depth is a prefix sum of +1 per '(' and -1 per ')', and the closing ')'
 * is the first byte where it reaches -1.  A block with one of those walks
 * its parenthesis bits in order up to it, and steps over it.  Blocks are 32
 * bytes where the build targets AVX2 (make release) and 16 with SSE2.
 *
 * '"' 0x22, '#' 0x23 and '\'' 0x27 are found as the bytes from 0x22 to
 * 0x27: '$', '%' and '&' between them are in no well-formed node and take
 * the careful path, where skip_special gives them to the full reader.  A
 * NUL byte cannot hide a parenthesis; the full reader reports it. */
#if defined(__AVX2__)
#include <immintrin.h>
#define HAVE_BLOCKS 1
enum { BLOCK = 32 };
typedef __m256i Vec;
#define VEC_SET1 _mm256_set1_epi8
#define VEC_EQ _mm256_cmpeq_epi8
#define VEC_SUB _mm256_sub_epi8
#define VEC_MIN _mm256_min_epu8
#define VEC_MASK(v) ((u32)_mm256_movemask_epi8(v))
static inline Vec vec_load(const char *p) { return _mm256_loadu_si256((const __m256i *)p); }

/* The running sums of d's bytes: byte i becomes d[0] + ... + d[i] (the
 * sums of 32 steps of +-1 fit a byte).  Shifts stay within 16-byte lanes,
 * so the low lane's total is added to the high lane at the end. */
static inline Vec prefix_sums(Vec d)
{
	d = _mm256_add_epi8(d, _mm256_slli_si256(d, 1));
	d = _mm256_add_epi8(d, _mm256_slli_si256(d, 2));
	d = _mm256_add_epi8(d, _mm256_slli_si256(d, 4));
	d = _mm256_add_epi8(d, _mm256_slli_si256(d, 8));
	Vec lane_totals = _mm256_shuffle_epi8(d, _mm256_set1_epi8(15));
	return _mm256_add_epi8(d, _mm256_permute2x128_si256(lane_totals, lane_totals, 0x08));
}

static inline i32 last_byte(Vec v) { return (i8)_mm256_extract_epi8(v, 31); }
#elif defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_BLOCKS 1
enum { BLOCK = 16 };
typedef __m128i Vec;
#define VEC_SET1 _mm_set1_epi8
#define VEC_EQ _mm_cmpeq_epi8
#define VEC_SUB _mm_sub_epi8
#define VEC_MIN _mm_min_epu8
#define VEC_MASK(v) ((u32)_mm_movemask_epi8(v))
static inline Vec vec_load(const char *p) { return _mm_loadu_si128((const __m128i *)p); }

/* The running sums of d's bytes: byte i becomes d[0] + ... + d[i] (the
 * sums of 16 steps of +-1 fit a byte). */
static inline Vec prefix_sums(Vec d)
{
	d = _mm_add_epi8(d, _mm_slli_si128(d, 1));
	d = _mm_add_epi8(d, _mm_slli_si128(d, 2));
	d = _mm_add_epi8(d, _mm_slli_si128(d, 4));
	return _mm_add_epi8(d, _mm_slli_si128(d, 8));
}

static inline i32 last_byte(Vec v) { return (i8)(_mm_extract_epi16(v, 7) >> 8); }
#endif

#if HAVE_BLOCKS
/* Where in the plain block the depth reaches -1 (the closing ')'), or
 * -1; *depth moves by the block's parentheses. */
static inline i32 plain_block_close(Vec is_open, Vec is_close, u32 *depth)
{
	Vec sums = prefix_sums(VEC_SUB(is_close, is_open)); /* a match is -1 */
	if (*depth < BLOCK) {
		u32 hit = VEC_MASK(VEC_EQ(sums, VEC_SET1((char)(-(i32)*depth - 1))));
		if (hit)
			return __builtin_ctz(hit);
	}
	*depth += (u32)last_byte(sums);
	return -1;
}

/* The careful walk of a block up to its first special byte (sp != 0). */
static inline i32 walk_block_close(u32 o, u32 c, u32 sp, u32 *depth)
{
	for (u32 bits = (o | c) & ((sp & -sp) - 1); bits; bits &= bits - 1) {
		u32 i = (u32)__builtin_ctz(bits);
		if (o & (1u << i))
			++*depth;
		else if ((*depth)-- == 0)
			return (i32)i;
	}
	return -1;
}

static const char *close_in_blocks(const char *p, const char *end, u32 *depth_io, bool *found)
{
	const Vec open = VEC_SET1('('), close = VEC_SET1(')');
	const Vec special_lo = VEC_SET1(0x22), special_span = VEC_SET1(0x27 - 0x22);
	u32 depth = *depth_io; /* in a register: the text's bytes may alias *depth_io */
	*found = false;
	while (p + BLOCK <= end) {
		Vec v = vec_load(p), is_open = VEC_EQ(v, open), is_close = VEC_EQ(v, close);
		Vec above = VEC_SUB(v, special_lo); /* 0x22..0x27 -> 0..5, unsigned */
		u32 sp = VEC_MASK(VEC_EQ(VEC_MIN(above, special_span), above));
		i32 at = LIKELY(!sp) ? plain_block_close(is_open, is_close, &depth)
				     : walk_block_close(VEC_MASK(is_open), VEC_MASK(is_close), sp, &depth);
		if (at >= 0)
			return *found = true, p + at;
		if (!sp)
			p += BLOCK;
		else if (!(p = skip_special(p + __builtin_ctz(sp))))
			return NULL;
	}
	*depth_io = depth;
	return p;
}
#else
static const char *close_in_blocks(const char *p, const char *end, u32 *depth, bool *found)
{
	*found = false;
	(void)end, (void)depth;
	return p;
}
#endif

/* Finds the ')' that closes the open list, counting parentheses and
 * stepping over strings, characters and comments; NULL when the text is not
 * plainly well formed (the end of the file, an odd character literal). */
static const char *scan_to_close(const char *p, const char *end)
{
	u32 depth = 0;
	bool found;
	if (!(p = close_in_blocks(p, end, &depth, &found)) || found)
		return p;
	p = close_in_bytes(p, end, &depth, &found);
	return found ? p : NULL;
}

void read_skip_rest(Reader *r)
{
	if (!skip_class['('])
		init_skip_class();
	const char *end = r->failed ? NULL : scan_to_close(r->cur, r->file->text + r->file->len);
	if (end) {
		r->cur = end;
		return;
	}
	while (read_skip(r)) /* not plain: the full reader finds the error */
		;
}

/* Skips whitespace and comments only; line information stays unread. */
static const char *skip_blank(Reader *r, const char *p)
{
	for (;;) {
		if (cclass[(u8)*p] == CC_WS)
			p++;
		else if (*p == '#') {
			if (!(p = skip_comment(r, p)))
				return NULL;
		} else
			return p;
	}
}

bool read_at_eof(Reader *r)
{
	for (;;) {
		const char *p = skip_blank(r, r->cur);
		if (!p)
			return true;
		r->cur = p;
		if (at_directive(r, p)) {
			if (!(p = skip_directive(r, p)))
				return true;
			r->cur = p;
			continue;
		}
		return at_end(r, p);
	}
}

u32 module_name(Interner *in, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".nif") == 0)
		len -= 4;
	return intern(in, base, (u32)len);
}

u32 read_peek_tag(Reader *r)
{
	if (r->failed)
		return NONE;
	const char *save = r->cur, *info_at = NULL;
	const char *p = skip_space(r, r->cur, &info_at);
	u32 result = NONE;
	if (p && *p == '(' && p[1] != '.') {
		const char *q;
		NameInfo name = read_tag(r, p + 1, &q);
		result = q ? name.tag : NONE;
	} else if (p && *p != ')' && !at_end(r, p)) {
		result = TAG_NOT_TREE;
	}
	r->cur = save;
	return result;
}

u32 read_node_start(Reader *r)
{
	const char *p = r->failed ? r->cur : skip_blank(r, r->cur);
	return (u32)((p ? p : r->cur) - r->file->text);
}
