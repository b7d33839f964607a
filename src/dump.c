/* dump.c - readable text for the state after each stage (-d) and the
 * listing.  Trees and MIR are printed as NIF, so a dump can be fed back to
 * nifasm to reproduce a failure.
 */
#include "nifasm.h"
#include "amd64/amd64int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- trees ---------------------------------------------------------------- */

static void dump_escaped(Buf *b, const u8 *s, size_t n, char quote)
{
	buf_byte(b, (u8)quote);
	for (size_t i = 0; i < n; i++) {
		u8 c = s[i];
		if (c < 32 || c >= 127 || strchr("()[]{}~#'\"\\:", c))
			buf_printf(b, "\\%02X", c);
		else
			buf_byte(b, c);
	}
	buf_byte(b, (u8)quote);
}

/* The shortest NIF spelling of d that reads back to d: a sign, digits, and
 * a '.' or an 'E' exponent so it is read as a float. */
static void dump_float(Buf *b, double d)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%+.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	char *e = strchr(tmp, 'e');
	if (!e) {
		buf_printf(b, "%s%s", tmp, strchr(tmp, '.') ? "" : ".0");
		return;
	}
	*e = 0;
	int exp = atoi(e + 1);
	buf_printf(b, "%sE%d", tmp, exp);
}

static void dump_number(Buf *b, const Tree *t, u32 n)
{
	const Node *x = &t->nodes.v[n];
	if (x->kind == N_FLOAT)
		dump_float(b, node_float(t, n));
	else if (x->kind == N_UINT)
		buf_printf(b, "+%lluu", (unsigned long long)node_int(t, n));
	else
		buf_printf(b, "%+lld", (long long)node_int(t, n));
}

/* The line information of node n; infos are in node order. */
static void dump_info(Buf *b, const Tree *t, const Interner *in, u32 n)
{
	u32 lo = 0, hi = t->infos.n;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		if (t->infos.v[mid].node < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->infos.n || t->infos.v[lo].node != n)
		return;
	const LineInfo *li = &t->infos.v[lo];
	buf_printf(b, "@%d,%d", li->col, li->line);
	if (li->file != NONE)
		buf_printf(b, ",%s", name_str(in, li->file));
}

/* One node without its children: a tree's '(' and tag. */
static void dump_one(const Tree *t, const Interner *in, const char *src, u32 n, Buf *b)
{
	const Node *x = &t->nodes.v[n];
	switch (x->kind) {
	case N_EMPTY: buf_byte(b, '.'); break;
	case N_SYMDEF: buf_byte(b, ':'); /* fall through */
	case N_IDENT:
	case N_SYM: buf_put(b, name_str(in, x->val), name_len(in, x->val)); break;
	case N_INT:
	case N_UINT:
	case N_FLOAT: dump_number(b, t, n); break;
	case N_CHAR: dump_escaped(b, (const u8 *)&(u8){(u8)x->val}, 1, '\''); break;
	case N_STR: {
		Buf s = {0};
		node_string(t, src, n, &s);
		dump_escaped(b, s.p, s.n, '"');
		buf_free(&s);
		break;
	}
	case N_TREE:
		buf_byte(b, '(');
		buf_put(b, name_str(in, x->val), name_len(in, x->val));
		break;
	}
	if (x->flags & NF_INFO)
		dump_info(b, t, in, n);
}

/* The nodes in preorder, with the ends of the open trees on a stack of
 * our own: the reader takes any depth (a million nested nodes), and a
 * recursive printer ran out of stack on them. */
void dump_tree(const Tree *t, const Interner *in, const char *src, u32 root, Buf *out)
{
	U32Vec open = {0};
	for (u32 n = root, end = node_end(t, root); n < end; n++) {
		if (n != root)
			buf_byte(out, ' ');
		dump_one(t, in, src, n, out);
		if (t->nodes.v[n].kind == N_TREE)
			vec_push(&open, node_end(t, n));
		while (open.n && vec_last(&open) == n + 1) {
			buf_byte(out, ')');
			open.n--;
		}
	}
	vec_free(&open);
	buf_byte(out, '\n');
}

/* ---- MIR ------------------------------------------------------------------------ */

static const char *op_name(const Program *p, u32 op)
{
	return name_str(&p->names, op);
}

/* Structured pseudo-ops print as comments: the lowered dump is the one
 * that assembles again. */
static void dump_pseudo(const Ins *ins, Buf *b)
{
	static const char *const names[] = {
		[P_ITE - P_ITE] = "ite", [P_ELSE - P_ITE] = "else", [P_ENDITE - P_ITE] = "end ite",
		[P_LOOP - P_ITE] = "loop", [P_LOOPTEST - P_ITE] = "loop test",
		[P_LOOPEND - P_ITE] = "loop end", [P_JTRUE - P_ITE] = "jtrue",
	};
	const Opnd *o = ins->o;
	buf_printf(b, "# %s", names[ins->op - P_ITE]);
	if (ins->op == P_ITE || ins->op == P_LOOPTEST)
		buf_printf(b, " cond %s%lld", o[0].imm == COND_CF_TRUE ? "cfvar-true " :
			   o[0].imm == COND_CF_FALSE ? "cfvar-false " : "cc ", (long long)o[0].imm);
	bool cond = ins->op == P_ITE || ins->op == P_LOOPTEST;
	bool flag = ins->op == P_ELSE || ins->op == P_LOOPEND;
	for (u32 i = cond; i < (flag ? 2u : ins->nopnd); i++)
		if (o[i].sym != NONE) /* P_ENDITE and P_LOOP hold NONE after o[0] */
			buf_printf(b, " L.%u", o[i].sym);
	if (flag && o[2].imm)
		buf_printf(b, " falls-through");
	buf_printf(b, " #");
}

static void dump_reg(Buf *b, u32 family, u32 size, bool hi)
{
	buf_printf(b, "(%s)", T_amd64.reg_name(family, size, hi));
}

static void dump_mem(const Program *p, Buf *b, const Opnd *o, bool cast)
{
	/* no integer type is 128 bits wide; such operands (cmpxchg16b) and
	 * address-only ones (clflush) own their size: print them bare */
	cast = cast && o->size && o->size <= 8;
	if (cast)
		buf_printf(b, "(cast (u +%u) ", o->size * 8);
	buf_printf(b, "(mem ");
	if (o->base == RIPREG || (o->flags & OF_TPOFF)) /* a global, or a tvar (fs-relative) */
		buf_printf(b, "%s", name_str(&p->names, p->globals.v[o->sym].name));
	else if (o->base == NOREG)
		buf_printf(b, ".");
	else
		dump_reg(b, o->base, 8, false);
	if (o->index != NOREG) {
		buf_byte(b, ' ');
		dump_reg(b, o->index, 8, false);
		buf_printf(b, " +%u", o->scale);
	}
	if (o->imm)
		buf_printf(b, " %+lld", (long long)o->imm);
	buf_byte(b, ')');
	if (cast)
		buf_byte(b, ')');
}

static void dump_opnd(const Program *p, Buf *b, const Opnd *o, bool cast)
{
	switch (o->kind) {
	case OK_REG: dump_reg(b, o->reg, o->size, o->hi); break;
	case OK_IMM:
		if (o->flags & OF_SSIZE)
			buf_printf(b, "(ssize)");
		else
			buf_printf(b, "%+lld", (long long)o->imm);
		break;
	case OK_MEM: dump_mem(p, b, o, cast); break;
	case OK_LABEL: buf_printf(b, "L.%u", o->sym); break;
	case OK_GLOBAL: buf_printf(b, "%s", name_str(&p->names, p->globals.v[o->sym].name)); break;
	}
}

void dump_ins(const Program *p, const Ins *ins, Buf *b)
{
	if (ins->op == P_LABEL) {
		buf_printf(b, "(lab :L.%u)", ins->o[0].sym);
		return;
	}
	if (ins->op > P_LABEL) {
		dump_pseudo(ins, b);
		return;
	}
	bool has_reg = false;
	for (u32 i = 0; i < ins->nopnd; i++)
		has_reg |= ins->o[i].kind == OK_REG;
	if (ins->flags & IF_LOCK)
		buf_printf(b, "(lock ");
	buf_printf(b, "(%s", op_name(p, ins->op));
	for (u32 i = 0; i < ins->nopnd; i++) {
		buf_byte(b, ' ');
		dump_opnd(p, b, &ins->o[i], !has_reg);
	}
	buf_byte(b, ')');
	if (ins->flags & IF_LOCK)
		buf_byte(b, ')');
}

void dump_mir(const Program *p, const char *title, const InsVec *code)
{
	Buf b = {0};
	buf_printf(&b, "# %s #\n(stmts\n", title);
	for (u32 i = 0; i < code->n; i++) {
		if (code->v[i].op == P_NOP)
			continue;
		buf_printf(&b, "  ");
		dump_ins(p, &code->v[i], &b);
		buf_byte(&b, '\n');
	}
	buf_printf(&b, ")\n");
	buf_write(&b, stderr);
	buf_free(&b);
}

/* ---- listing ------------------------------------------------------------------------ */

static const Program *sort_prog;

static u64 entry_addr(const ListEntry *e)
{
	return sort_prog->chunks.v[e->chunk].addr + e->off;
}

static int by_addr(const void *a, const void *b)
{
	u64 x = entry_addr(a), y = entry_addr(b);
	return x < y ? -1 : x > y;
}

/* A listing shows at most LIST_TEXT_MAX bytes of a node: a structured
 * form's text is the whole form, and on a line that holds a whole program
 * each jump lowered from an ite would print the rest of it (an else-if
 * chain 8,000 deep, 330 KB on one line, listed 1.3 GB). */
enum { LIST_TEXT_MAX = 120 };

/* The end of the node starting at s, or of its line if that comes first,
 * or where LIST_TEXT_MAX bytes end, between characters (*cut). */
static const char *node_text_end(const char *s, bool *cut)
{
	int depth = 0;
	const char *p = s, *stop = s + LIST_TEXT_MAX;
	*cut = false;
	for (; *p && *p != '\n' && *p != '\r'; p++) {
		if (p >= stop) {
			*cut = true;
			while (p > s && utf8_continuation(*p))
				p--;
			return p;
		}
		if (*p == '"' || *p == '\'') {
			char q = *p;
			while (p[1] && p[1] != q && p[1] != '\n' && p < stop)
				p++;
			p += p[1] == q;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth <= 0) {
			return p + 1;
		}
		if (depth == 0 && *p == ' ')
			return p;
	}
	return p;
}

static void list_source(Buf *out, Program *p, const ListEntry *e)
{
	if (e->pos == NONE) {
		bool tls = p->globals.v[p->chunks.v[e->chunk].global].kind == G_TCB;
		buf_printf(out, tls ? "(tls setup)" : "(start stub)");
		return;
	}
	SrcFile *f = p->files.v[p->chunks.v[e->chunk].file];
	LineCol lc = src_linecol(f, e->pos);
	bool cut;
	const char *s = f->text + e->pos, *end = node_text_end(s, &cut);
	const char *base = strrchr(f->path, '/');
	buf_printf(out, "%s:%u  %.*s%s", base ? base + 1 : f->path, lc.line, (int)(end - s), s,
		   cut ? "..." : "");
}

void dump_listing(Program *p, Buf *out)
{
	sort_prog = p;
	qsort(p->list.v, p->list.n, sizeof *p->list.v, by_addr);
	for (u32 i = 0; i < p->list.n; i++) {
		const ListEntry *e = &p->list.v[i];
		if (!p->globals.v[p->chunks.v[e->chunk].global].reachable)
			continue;
		u64 addr = entry_addr(e);
		const u8 *code = p->img.text.p + (addr - p->img.text_addr);
		for (u32 at = 0; at < e->len || at == 0; at += 8) {
			buf_printf(out, "%08llx  ", (unsigned long long)(addr + at));
			for (u32 k = 0; k < 8; k++) {
				if (at + k < e->len)
					buf_printf(out, "%02x ", code[at + k]);
				else
					buf_printf(out, "   ");
			}
			if (at == 0)
				list_source(out, p, e);
			buf_byte(out, '\n');
		}
	}
}

void dump_link(Program *p, Buf *out)
{
	const Image *img = &p->img;
	buf_printf(out, "# after linking #\n");
	buf_printf(out, "text    %#llx %zu bytes\n", (unsigned long long)img->text_addr, img->text.n);
	buf_printf(out, "rodata  %#llx %zu bytes\n", (unsigned long long)img->rodata_addr, img->rodata.n);
	buf_printf(out, "data    %#llx %zu bytes\n", (unsigned long long)img->data_addr, img->data.n);
	buf_printf(out, "bss     %#llx %llu bytes\n", (unsigned long long)img->bss_addr,
		   (unsigned long long)img->bss_size);
	if (img->tls.used)
		buf_printf(out, "tls     %#llx %llu bytes (%llu initialised), align %u\n",
			   (unsigned long long)(img->data_addr + img->tls.off),
			   (unsigned long long)img->tls.memsz, (unsigned long long)img->tls.filesz,
			   img->tls.align);
	buf_printf(out, "entry   %#llx\n", (unsigned long long)img->entry);
	for (u32 g = 0; g < p->globals.n; g++) {
		const Global *gl = &p->globals.v[g];
		const char *name = name_str(&p->names, gl->name);
		if (!gl->reachable)
			continue;
		if (gl->kind == G_TVAR) /* at fs:tpoff in every thread */
			buf_printf(out, "fs:%lld  %s\n", (long long)tls_tpoff(&img->tls, gl->addr),
				   name);
		else
			buf_printf(out, "%#llx  %s\n", (unsigned long long)gl->addr, name);
	}
}
