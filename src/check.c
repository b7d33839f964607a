/* check.c - from NIF trees to checked MIR.
 *
 * A file is read twice.  The declaration pass registers every global (types,
 * data, proc signatures) and skips code, so code may refer to anything in
 * any order.  The code pass reads one top-level node at a time, checks it
 * and emits MIR; a proc is lowered and encoded as soon as it is checked,
 * so memory stays proportional to the largest proc, not to the file.
 */
#include "nifasm.h"
#include "amd64/amd64int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct Label {
	u32 name;
	u32 use_pos; /* first use, for "undefined label" */
	bool defined;
} Label;

/* Labels are local to a proc; the top-level code is a scope of its own
 * that stays open while the procs between its instructions are checked. */
typedef struct LabelScope {
	VEC(Label) labels;
	VEC(u32) of_name; /* name id -> label id, NONE */
} LabelScope;

typedef struct Checker {
	Program *p;
	const Target *t;
	u32 file;
	SrcFile *src;
	Reader rd;
	Tree tree;
	InsVec *out;   /* where checked instructions go */
	InsVec entry;  /* top-level instructions */
	InsVec body;   /* the proc being checked */
	InsVec lowered;
	LabelScope entry_labels, proc_labels;
	LabelScope *labels; /* the open scope */
} Checker;

/* What an operand turned out to be. */
typedef enum What { W_NONE, W_REG, W_IMM, W_MEM, W_LABEL, W_PROC, W_DATA } What;

typedef struct Operand {
	Opnd o;
	u8 what;
	u32 node;
} Operand;

/* ---- diagnostics ---------------------------------------------------------------- */

static void err(Checker *c, u32 n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void err(Checker *c, u32 n, const char *fmt, ...)
{
	Origin org = node_origin(&c->tree, &c->p->names, n);
	va_list ap;
	va_start(ap, fmt);
	vdiag_at(DIAG_ERROR, c->src, c->tree.nodes.v[n].pos, &org, fmt, ap);
	va_end(ap);
}

static const Node *nd(const Checker *c, u32 n) { return &c->tree.nodes.v[n]; }

static const char *name_of(const Checker *c, u32 name) { return name_str(&c->p->names, name); }

static const char *tag_name(const Checker *c, u32 n) { return name_of(c, nd(c, n)->val); }

static bool is_tree(const Checker *c, u32 n, Tag tag)
{
	return n != NONE && nd(c, n)->kind == N_TREE && nd(c, n)->tag == tag;
}

static bool is_name(const Checker *c, u32 n)
{
	return n != NONE && (nd(c, n)->kind == N_SYM || nd(c, n)->kind == N_IDENT);
}

/* ---- globals ---------------------------------------------------------------------- */

u32 global_lookup(Program *p, u32 name)
{
	return name < p->global_of_name.n ? p->global_of_name.v[name] : NONE;
}

u32 global_get(Program *p, u32 name, u32 file, u32 pos)
{
	u32 g = global_lookup(p, name);
	if (g != NONE)
		return g;
	while (p->global_of_name.n <= name)
		vec_push(&p->global_of_name, NONE);
	g = p->globals.n;
	Global gl = {.kind = G_NONE, .name = name, .file = file, .pos = pos, .type = NONE,
		     .chunk = NONE};
	vec_push(&p->globals, gl);
	p->global_of_name.v[name] = g;
	return g;
}

static u32 define_global(Checker *c, u32 n, GlobalKind kind)
{
	u32 name = nd(c, n)->val;
	u32 g = global_get(c->p, name, c->file, nd(c, n)->pos);
	Global *gl = &c->p->globals.v[g];
	if (gl->defined) {
		err(c, n, "%s is defined twice", name_of(c, name));
		LineCol lc = src_linecol(&c->p->files.v[gl->file], gl->pos);
		fprintf(stderr, "%s:%u:%u: note: first definition is here\n",
			c->p->files.v[gl->file].path, lc.line, lc.col);
		return NONE;
	}
	gl->kind = (u8)kind;
	gl->defined = true;
	gl->file = c->file;
	gl->pos = nd(c, n)->pos;
	return g;
}

/* ---- declarations ------------------------------------------------------------------- */

typedef struct RegInfo {
	u8 family, bytes, hi;
} RegInfo;

static const RegInfo reg_info[] = {
#define REG(name, fam, bytes, hi) {fam, bytes, hi},
	AMD64_REGS(REG)
#undef REG
};

static void decl_rodata(Checker *c, u32 n)
{
	u32 name = node_kid(&c->tree, n, 0), val = node_kid(&c->tree, n, 1);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF) {
		err(c, n, "rodata needs a name: (rodata :name.0 \"bytes\")");
		return;
	}
	if (val == NONE || nd(c, val)->kind != N_STR || node_kid(&c->tree, n, 2) != NONE) {
		err(c, val == NONE ? n : val, "rodata takes one string: (rodata :name.0 \"bytes\")");
		return;
	}
	u32 g = define_global(c, name, G_RODATA);
	if (g == NONE)
		return;
	Global *gl = &c->p->globals.v[g];
	gl->chunk = (u32)c->p->rodata.n;
	node_string(&c->tree, c->src->text, val, &c->p->rodata);
	gl->size = (u32)c->p->rodata.n - gl->chunk;
	gl->align = 1;
	gl->type = NONE;
}

static void decl_proc_header(Checker *c, u32 n)
{
	u32 name = node_kid(&c->tree, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF) {
		err(c, n, "proc needs a name: (proc :name.0 ... (body ...))");
		return;
	}
	u32 g = define_global(c, name, G_PROC);
	if (g == NONE)
		return;
	c->p->globals.v[g].result0 = NOREG;
	for (u32 k = node_next(&c->tree, name); k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		if (!is_tree(c, k, TAG_result) && !is_tree(c, k, TAG_ret))
			continue;
		u32 loc = node_kid(&c->tree, k, 1);
		if (loc != NONE && nd(c, loc)->kind == N_TREE && IS_REG_TAG(nd(c, loc)->tag))
			c->p->globals.v[g].result0 = reg_info[nd(c, loc)->tag - TAG_FIRST_REG].family;
		break;
	}
}

int proc_result_family(const Program *p, u32 global)
{
	u8 r = p->globals.v[global].result0;
	return r == NOREG ? -1 : r;
}

/* ---- labels ------------------------------------------------------------------------- */

static u32 label_id(Checker *c, u32 name, u32 pos)
{
	LabelScope *s = c->labels;
	while (s->of_name.n <= name)
		vec_push(&s->of_name, NONE);
	u32 id = s->of_name.v[name];
	if (id == NONE) {
		id = s->labels.n;
		vec_push(&s->labels, ((Label){name, pos, false}));
		s->of_name.v[name] = id;
	}
	return id;
}

/* Ends a label scope: every used label must be defined. */
static void end_label_scope(Checker *c, LabelScope *s)
{
	for (u32 i = 0; i < s->labels.n; i++) {
		Label *l = &s->labels.v[i];
		if (!l->defined)
			diag_at(DIAG_ERROR, c->src, l->use_pos, NULL, "undefined label %s",
				name_of(c, l->name));
		s->of_name.v[l->name] = NONE;
	}
	s->labels.n = 0;
}

static void free_label_scope(LabelScope *s)
{
	vec_free(&s->labels);
	vec_free(&s->of_name);
}

/* ---- operands ------------------------------------------------------------------------ */

static bool operand_reg(Checker *c, u32 n, Operand *op)
{
	if (node_nkids(&c->tree, n) != 0) {
		err(c, n, "register (%s) takes no arguments", tag_name(c, n));
		return false;
	}
	const RegInfo *ri = &reg_info[nd(c, n)->tag - TAG_FIRST_REG];
	op->what = W_REG;
	op->o = (Opnd){.kind = OK_REG, .size = ri->bytes, .reg = ri->family, .hi = ri->hi};
	return true;
}

static bool operand_int(Checker *c, u32 n, Operand *op)
{
	op->what = W_IMM;
	op->o = (Opnd){.kind = OK_IMM, .imm = node_int(&c->tree, n)};
	return true;
}

static bool mem_base(Checker *c, u32 n, Opnd *m)
{
	if (n != NONE && nd(c, n)->kind == N_TREE && IS_REG_TAG(nd(c, n)->tag)) {
		Operand r;
		if (!operand_reg(c, n, &r))
			return false;
		if (r.o.size != 8 || r.o.reg >= XMM0) {
			err(c, n, "a memory base must be a 64-bit general register, not %s", tag_name(c, n));
			return false;
		}
		m->base = r.o.reg;
		return true;
	}
	if (is_name(c, n)) {
		u32 g = global_lookup(c->p, nd(c, n)->val);
		u8 kind = g == NONE ? G_NONE : c->p->globals.v[g].kind;
		if (kind == G_RODATA || kind == G_GVAR) {
			m->base = RIPREG;
			m->sym = g;
			return true;
		}
		err(c, n, "%s is not a register or a global variable", name_of(c, nd(c, n)->val));
		return false;
	}
	err(c, n == NONE ? NONE : n, "expected a base register or a global");
	return false;
}

static bool int_kid(Checker *c, u32 n, i64 *v)
{
	if (n == NONE || (nd(c, n)->kind != N_INT && nd(c, n)->kind != N_UINT)) {
		if (n != NONE)
			err(c, n, "expected a number such as +8");
		return false;
	}
	*v = node_int(&c->tree, n);
	return true;
}

static bool mem_index(Checker *c, u32 idx, u32 scale, Opnd *m)
{
	Operand r;
	if (!is_tree(c, idx, nd(c, idx)->tag) || !IS_REG_TAG(nd(c, idx)->tag)) {
		err(c, idx, "expected an index register");
		return false;
	}
	if (!operand_reg(c, idx, &r))
		return false;
	if (r.o.size != 8 || r.o.reg >= XMM0 || r.o.reg == RSP) {
		err(c, idx, "an index must be a 64-bit general register other than rsp");
		return false;
	}
	i64 s;
	if (!int_kid(c, scale, &s))
		return false;
	if (s != 1 && s != 2 && s != 4 && s != 8) {
		err(c, scale, "scale must be 1, 2, 4 or 8, not %lld", (long long)s);
		return false;
	}
	if (m->base == RIPREG) {
		err(c, idx, "a global cannot be indexed with (mem ...); use (at ...)");
		return false;
	}
	m->index = r.o.reg;
	m->scale = (u8)s;
	return true;
}

/* (mem base) (mem base off) (mem base index scale) (mem base index scale off) */
static bool operand_mem(Checker *c, u32 n, Operand *op)
{
	u32 k[5], nk = 0;
	for (u32 ch = n + 1; ch < node_end(&c->tree, n) && nk < 5; ch = node_next(&c->tree, ch))
		k[nk++] = ch;
	if (nk < 1 || nk > 4) {
		err(c, n, "mem takes 1 to 4 operands: (mem base [index scale] [offset])");
		return false;
	}
	op->what = W_MEM;
	op->o = (Opnd){.kind = OK_MEM, .base = NOREG, .index = NOREG, .scale = 1};
	if (!mem_base(c, k[0], &op->o))
		return false;
	if (nk == 3 || nk == 4)
		if (!mem_index(c, k[1], k[2], &op->o))
			return false;
	if (nk == 2 || nk == 4) {
		i64 off;
		if (!int_kid(c, k[nk - 1], &off))
			return false;
		if (off != (i32)off) {
			err(c, k[nk - 1], "offset %lld does not fit in 32 bits", (long long)off);
			return false;
		}
		op->o.imm = off;
	}
	return true;
}

static bool operand_name(Checker *c, u32 n, Operand *op, bool branch)
{
	u32 name = nd(c, n)->val;
	u32 g = global_lookup(c->p, name);
	u8 kind = g == NONE ? G_NONE : c->p->globals.v[g].kind;
	if (kind == G_PROC) {
		op->what = W_PROC;
		op->o = (Opnd){.kind = OK_GLOBAL, .sym = g};
		return true;
	}
	if (kind == G_RODATA || kind == G_GVAR) {
		op->what = W_DATA;
		op->o = (Opnd){.kind = OK_MEM, .base = RIPREG, .index = NOREG, .scale = 1, .sym = g};
		return true;
	}
	if (branch) {
		op->what = W_LABEL;
		op->o = (Opnd){.kind = OK_LABEL, .sym = label_id(c, name, nd(c, n)->pos)};
		return true;
	}
	err(c, n, "undeclared name %s", name_of(c, name));
	return false;
}

/* ---- types ------------------------------------------------------------------------------ */

static u32 parse_type(Checker *c, u32 n);

static bool int_kid(Checker *c, u32 n, i64 *v);

/* (i +N) (u +N) (f +N) */
static u32 parse_scalar(Checker *c, u32 n, TypeKind k)
{
	i64 bits;
	u32 kid = node_kid(&c->tree, n, 0);
	if (kid == NONE || !int_kid(c, kid, &bits) || node_kid(&c->tree, n, 1) != NONE) {
		if (kid == NONE)
			err(c, n, "(%s ...) needs a bit size such as +32", tag_name(c, n));
		return NONE;
	}
	bool ok = k == TY_FLOAT ? bits == 32 || bits == 64
				: bits == 8 || bits == 16 || bits == 32 || bits == 64;
	if (!ok) {
		err(c, kid, "(%s +%lld) is not a type; sizes are %s", tag_name(c, n), (long long)bits,
		    k == TY_FLOAT ? "32 and 64" : "8, 16, 32 and 64");
		return NONE;
	}
	return type_scalar(&c->p->types, k, (u32)bits);
}

static u32 parse_ptr(Checker *c, u32 n, TypeKind k)
{
	u32 kid = node_kid(&c->tree, n, 0);
	if (kid == NONE || node_kid(&c->tree, n, 1) != NONE) {
		err(c, n, "(%s T) takes one element type", tag_name(c, n));
		return NONE;
	}
	u32 elem = parse_type(c, kid);
	return elem == NONE ? NONE : type_ptr(&c->p->types, k, elem);
}

static u32 parse_array(Checker *c, u32 n)
{
	u32 el = node_kid(&c->tree, n, 0), cnt = node_kid(&c->tree, n, 1);
	i64 count;
	if (el == NONE || cnt == NONE || node_kid(&c->tree, n, 2) != NONE) {
		err(c, n, "(array T +N) takes an element type and a count");
		return NONE;
	}
	u32 elem = parse_type(c, el);
	if (elem == NONE || !int_kid(c, cnt, &count))
		return NONE;
	if (count < 0 || (u64)count * c->p->types.v.v[elem].size > UINT32_MAX) {
		err(c, cnt, "array count %lld is out of range", (long long)count);
		return NONE;
	}
	return type_array(&c->p->types, elem, (u64)count);
}

static u32 parse_type(Checker *c, u32 n)
{
	const Node *x = nd(c, n);
	if (x->kind == N_TREE) {
		switch (x->tag) {
		case TAG_bool:
			return T_BOOL;
		case TAG_i: return parse_scalar(c, n, TY_INT);
		case TAG_u: return parse_scalar(c, n, TY_UINT);
		case TAG_f: return parse_scalar(c, n, TY_FLOAT);
		case TAG_ptr: return parse_ptr(c, n, TY_PTR);
		case TAG_aptr: return parse_ptr(c, n, TY_APTR);
		case TAG_array: return parse_array(c, n);
		default: break;
		}
	}
	err(c, n, "expected a type");
	return NONE;
}

static bool operand(Checker *c, u32 n, Operand *op, bool branch);

/* (cast T operand): the operand seen as type T; memory takes T's size. */
static bool operand_cast(Checker *c, u32 n, Operand *op, bool branch)
{
	u32 tn = node_kid(&c->tree, n, 0), on = node_kid(&c->tree, n, 1);
	if (tn == NONE || on == NONE || node_kid(&c->tree, n, 2) != NONE) {
		err(c, n, "cast takes a type and an operand: (cast (i +32) (mem (rax)))");
		return false;
	}
	u32 ty = parse_type(c, tn);
	if (ty == NONE || !operand(c, on, op, branch))
		return false;
	u32 size = c->p->types.v.v[ty].size;
	if (op->what == W_MEM || op->what == W_DATA) {
		if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
			err(c, tn, "a memory operand cannot be %u bytes wide", size);
			return false;
		}
		op->o.size = (u8)size;
	} else if (op->what == W_REG && op->o.size != size) {
		err(c, n, "cannot cast a %u-bit register to a %u-bit type", op->o.size * 8, size * 8);
		return false;
	}
	op->node = n;
	return true;
}

static bool operand(Checker *c, u32 n, Operand *op, bool branch)
{
	op->node = n;
	switch (nd(c, n)->kind) {
	case N_INT:
	case N_UINT:
	case N_CHAR:
		return operand_int(c, n, op);
	case N_SYM:
	case N_IDENT:
		return operand_name(c, n, op, branch);
	case N_TREE:
		if (IS_REG_TAG(nd(c, n)->tag))
			return operand_reg(c, n, op);
		if (nd(c, n)->tag == TAG_mem)
			return operand_mem(c, n, op);
		if (nd(c, n)->tag == TAG_cast)
			return operand_cast(c, n, op, branch);
		err(c, n, "(%s ...) cannot be an operand", tag_name(c, n));
		return false;
	default:
		err(c, n, "unexpected operand");
		return false;
	}
}

/* ---- instructions ------------------------------------------------------------------------ */

/* Says why no form of `op` takes these operands, at the operand at fault;
 * the target knows the forms (amd64_explain). */
static void explain_mismatch(Checker *c, u32 n, u32 op, Operand *ops, u32 nops, MatchFail why)
{
	Opnd o[3];
	for (u32 i = 0; i < nops; i++)
		o[i] = ops[i].o;
	Buf msg = {0};
	u32 at = amd64_explain(op, name_of(c, op), o, nops, why, &msg);
	err(c, at == NONE ? n : ops[at].node, "%.*s", (int)msg.n, (const char *)msg.p);
	buf_free(&msg);
}

static bool is_branch_op(u32 op)
{
	u32 end, f = amd64_forms_of(op, &end);
	return amd64_forms[f].cls[0] == C_REL;
}

static Ins *emit(Checker *c, u16 op, u32 n)
{
	vec_reserve(c->out, 1);
	Ins *ins = &c->out->v[c->out->n++];
	memset(ins, 0, sizeof *ins);
	ins->op = op;
	ins->pos = nd(c, n)->pos;
	return ins;
}

/* lock is only valid on the forms that modify a memory destination. */
static bool check_lock(Checker *c, u32 n, u32 op, const Opnd *o, u32 nops, u32 form)
{
	if (!amd64_lockable(&amd64_forms[form], o, nops)) {
		err(c, n, "lock needs an instruction that modifies memory; %s with these operands "
			  "does not", name_of(c, op));
		return false;
	}
	return true;
}

static void check_ins(Checker *c, u32 n, u8 flags)
{
	u32 op = nd(c, n)->tag;
	Operand ops[3];
	u32 nops = 0;
	bool ok = true, branch = is_branch_op(op);
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		if (nops == 3) {
			err(c, k, "%s takes at most 3 operands", name_of(c, op));
			return;
		}
		ok &= operand(c, k, &ops[nops++], branch);
	}
	if (!ok)
		return;
	if (op == TAG_lea && nops == 2 && ops[1].what == W_DATA)
		ops[1].what = W_MEM;
	for (u32 i = 0; i < nops; i++) {
		if (ops[i].what == W_DATA && op != TAG_lea) {
			err(c, ops[i].node, "%s is an address: take it with (lea ...) or load with (mem %s)",
			    name_of(c, nd(c, ops[i].node)->val), name_of(c, nd(c, ops[i].node)->val));
			return;
		}
	}
	Opnd o[3];
	for (u32 i = 0; i < nops; i++)
		o[i] = ops[i].o;
	MatchFail why;
	u32 form = amd64_match(op, o, nops, &why);
	if (form == NONE) {
		explain_mismatch(c, n, op, ops, nops, why);
		return;
	}
	if ((flags & IF_LOCK) && !check_lock(c, n, op, o, nops, form))
		return;
	Ins *ins = emit(c, (u16)op, n);
	ins->form = (u16)form;
	ins->nopnd = (u8)nops;
	ins->flags = flags;
	memcpy(ins->o, o, nops * sizeof *o);
}

/* ---- statements -------------------------------------------------------------------------- */

typedef void (*StmtFn)(Checker *c, u32 n);

static void stmt(Checker *c, u32 n);

static void stmt_lab(Checker *c, u32 n)
{
	u32 name = node_kid(&c->tree, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF || node_kid(&c->tree, n, 1) != NONE) {
		err(c, n, "lab takes one label definition: (lab :name.0)");
		return;
	}
	u32 id = label_id(c, nd(c, name)->val, nd(c, name)->pos);
	Label *l = &c->labels->labels.v[id];
	if (l->defined) {
		err(c, name, "label %s is defined twice", name_of(c, nd(c, name)->val));
		return;
	}
	if (global_lookup(c->p, nd(c, name)->val) != NONE) {
		err(c, name, "label %s has the name of a global", name_of(c, nd(c, name)->val));
		return;
	}
	l->defined = true;
	Ins *ins = emit(c, P_LABEL, n);
	ins->o[0] = (Opnd){.kind = OK_LABEL, .sym = id};
	ins->nopnd = 1;
}

static void stmt_stmts(Checker *c, u32 n)
{
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k))
		stmt(c, k);
}

static void stmt_lock(Checker *c, u32 n)
{
	u32 k = node_kid(&c->tree, n, 0);
	if (k == NONE || node_kid(&c->tree, n, 1) != NONE || nd(c, k)->kind != N_TREE ||
	    !IS_OP_TAG(nd(c, k)->tag)) {
		err(c, n, "lock takes one instruction: (lock (add (mem ...) (rax)))");
		return;
	}
	check_ins(c, k, IF_LOCK);
}

static const StmtFn stmt_fns[TAG__COUNT] = {
	[TAG_lab] = stmt_lab,
	[TAG_stmts] = stmt_stmts,
	[TAG_lock] = stmt_lock,
};

static void stmt(Checker *c, u32 n)
{
	const Node *x = nd(c, n);
	if (x->kind != N_TREE) {
		err(c, n, "expected an instruction or declaration");
		return;
	}
	if (x->tag == TAG_UNKNOWN) {
		err(c, n, "unknown tag '%s'", tag_name(c, n));
		return;
	}
	if (stmt_fns[x->tag]) {
		stmt_fns[x->tag](c, n);
		return;
	}
	if (IS_OP_TAG(x->tag)) {
		check_ins(c, n, 0);
		return;
	}
	err(c, n, "(%s ...) is not a statement", tag_name(c, n));
}

/* ---- procs ----------------------------------------------------------------------------- */

static void finish_code(Checker *c, InsVec *code, u32 global)
{
	end_label_scope(c, c->labels);
	if (diag_error_count)
		return;
	if (c->p->dump & DUMP_CHECK)
		dump_mir(c->p, "after check", code);
	c->lowered.n = 0;
	lower(code, &c->lowered);
	if (c->p->dump & DUMP_LOWER)
		dump_mir(c->p, "after lowering", &c->lowered);
	u32 chunk = c->t->encode(c->p, &c->lowered, global, c->file);
	c->p->globals.v[global].chunk = chunk;
}

static void code_proc(Checker *c, u32 n)
{
	u32 name = node_kid(&c->tree, n, 0);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF)
		return; /* reported by the declaration pass */
	u32 g = global_lookup(c->p, nd(c, name)->val);
	u32 body = NONE;
	for (u32 k = node_next(&c->tree, name); k < node_end(&c->tree, n); k = node_next(&c->tree, k))
		if (is_tree(c, k, TAG_body) || is_tree(c, k, TAG_stmts))
			body = k;
	if (body == NONE) {
		err(c, n, "proc %s has no (body ...)", name_of(c, nd(c, name)->val));
		return;
	}
	c->body.n = 0;
	c->out = &c->body;
	c->labels = &c->proc_labels;
	stmt_stmts(c, body);
	finish_code(c, &c->body, g);
	c->out = &c->entry;
	c->labels = &c->entry_labels;
}

/* ---- the two passes ---------------------------------------------------------------------- */

static bool is_decl_tag(u16 tag)
{
	return tag == TAG_proc || tag == TAG_rodata || tag == TAG_type || tag == TAG_gvar ||
	       tag == TAG_tvar;
}

static void open_file(Checker *c, Program *p, u32 file, const Target *t)
{
	memset(c, 0, sizeof *c);
	c->p = p;
	c->t = t;
	c->file = file;
	c->src = &p->files.v[file];
	c->out = &c->entry;
	c->labels = &c->entry_labels;
}

static void close_file(Checker *c)
{
	reader_free(&c->rd);
	tree_free(&c->tree);
	vec_free(&c->entry);
	vec_free(&c->body);
	vec_free(&c->lowered);
	free_label_scope(&c->entry_labels);
	free_label_scope(&c->proc_labels);
}

/* Opens the module's (stmts ...); false after an error. */
static bool open_module(Checker *c)
{
	reader_init(&c->rd, c->src, &c->p->names, &c->tree, module_name(&c->p->names, c->src->path));
	tree_clear(&c->tree);
	u32 root = read_open(&c->rd);
	if (root == NONE) {
		if (!c->rd.failed)
			error_at(c->src, (u32)(c->rd.cur - c->src->text),
				 "expected (stmts ...) at the top of the module");
		return false;
	}
	if (c->file == 0)
		c->p->module_pos = nd(c, root)->pos;
	if (nd(c, root)->tag != TAG_stmts) {
		err(c, root, "a module is one (stmts ...) node, not (%s ...)", tag_name(c, root));
		return false;
	}
	return true;
}

static bool close_module(Checker *c)
{
	if (!read_close(&c->rd))
		return false;
	if (!read_at_eof(&c->rd)) {
		if (!c->rd.failed)
			error_at(c->src, (u32)(c->rd.cur - c->src->text),
				 "unexpected text after the module's (stmts ...)");
		return false;
	}
	return true;
}

static void decl_node(Checker *c, u32 n)
{
	switch (nd(c, n)->tag) {
	case TAG_rodata: decl_rodata(c, n); break;
	case TAG_proc: decl_proc_header(c, n); break;
	default: break;
	}
}

bool check_declarations(Program *p, u32 file, const Target *t)
{
	Checker c;
	open_file(&c, p, file, t);
	bool ok = open_module(&c);
	while (ok) {
		tree_clear(&c.tree);
		u32 n = read_node(&c.rd);
		if (n == NONE)
			break;
		if (nd(&c, n)->kind == N_TREE && is_decl_tag(nd(&c, n)->tag))
			decl_node(&c, n);
	}
	ok = ok && !c.rd.failed && close_module(&c);
	close_file(&c);
	return ok;
}

static void code_node(Checker *c, u32 n)
{
	u16 tag = nd(c, n)->kind == N_TREE ? nd(c, n)->tag : TAG_UNKNOWN;
	if (tag == TAG_proc)
		code_proc(c, n);
	else if (!is_decl_tag(tag))
		stmt(c, n);
}

bool check_code(Program *p, u32 file, const Target *t, bool is_entry_file)
{
	Checker c;
	open_file(&c, p, file, t);
	bool ok = open_module(&c);
	while (ok) {
		tree_clear(&c.tree);
		u32 n = read_node(&c.rd);
		if (n == NONE)
			break;
		if (p->dump & DUMP_TREE) {
			Buf b = {0};
			dump_tree(&c.tree, &p->names, c.src->text, n, &b);
			fwrite(b.p, 1, b.n, stderr);
			buf_free(&b);
		}
		code_node(&c, n);
	}
	ok = ok && !c.rd.failed && close_module(&c);
	if (ok && is_entry_file && c.entry.n) {
		u32 name = intern(&p->names, "_start", 6);
		p->entry = global_get(p, name, file, 0);
		p->globals.v[p->entry].kind = G_ENTRY;
		p->globals.v[p->entry].defined = true;
		finish_code(&c, &c.entry, p->entry);
	}
	close_file(&c);
	return ok;
}
