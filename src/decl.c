/* decl.c - declarations: types, proc signatures, data.
 *
 * scan_declarations reads a file once, recording where each top-level
 * declaration starts and registering its name, so that anything may be
 * used before it is declared.  resolve_declarations then reads each
 * declaration again: types first (a type used inside another is resolved
 * on the spot), then their layouts, proc signatures and data.
 */
#include "check.h"

#include <stdio.h>

static const Types *tys(const Checker *c) { return &c->p->types; }

/* ---- reading one declaration --------------------------------------------------- */

static void checker_init(Checker *c, Program *p, u32 file)
{
	memset(c, 0, sizeof *c);
	c->p = p;
	c->t = &T_amd64;
	c->file = file;
	c->src = p->files.v[file];
	c->u.proc = NONE;
	
	flow_init(&c->u.flow);
}

static void checker_release(Checker *c)
{
	reader_free(&c->rd);
	tree_free(&c->tree);
	flow_free(&c->u, &c->u.flow);
	vs_free_nodes(&c->u);
}

/* A Checker takes 1.4 KB, and declarations are read inside one another
 * (a type declared later, a module loaded for a name): those are on the
 * heap, so a level of that nesting takes little stack. */
static Checker *checker_new(void) { return xmalloc(sizeof(Checker)); }

static void checker_delete(Checker *c)
{
	checker_release(c);
	free(c);
}

/* A checker whose reader stands at the start of a declaration. */
static void open_decl(Checker *c, Program *p, u32 decl)
{
	const Decl *d = &p->decls.v[decl];
	checker_init(c, p, d->file);
	reader_init_at(&c->rd, c->src, &c->p->names, &c->tree, file_module(p, d->file), d->pos,
		       d->info);
}

/* Reads the declaration's whole node into c->tree; returns its node. */
static u32 read_decl(Checker *c, Program *p, u32 decl)
{
	open_decl(c, p, decl);
	return read_node(&c->rd);
}


u32 kid(const Checker *c, u32 n, u32 k) { return node_kid(&c->tree, n, k); }

bool int_kid(Checker *c, u32 n, i64 *v)
{
	if (n == NONE || (nd(c, n)->kind != N_INT && nd(c, n)->kind != N_UINT)) {
		if (n != NONE)
			err(c, n, "expected a number such as +8");
		return false;
	}
	*v = node_int(&c->tree, n);
	return true;
}

/* ---- globals ------------------------------------------------------------------------ */

/* A global symbol has a module suffix: at least two dots (foo.0.m). */
bool is_global_name(const Program *p, u32 name)
{
	const char *s = name_str(&p->names, name), *dot = strchr(s, '.');
	return dot && strchr(dot + 1, '.');
}

/* A global's key, "name@file" for a private name outside the first file
 * ('@' cannot appear in a NIF name), interned by `find`: intern_input
 * where a definition adds it, intern_lookup where a use looks for it.
 * Inlined, so each calls its function directly: called with the function,
 * it cost operand(), where global_find is inlined, a move per call (0.1 %
 * of the instructions of the 10^5 benchmark). */
static inline __attribute__((always_inline)) u32 key_by(Program *p, u32 name, u32 file,
							 u32 (*find)(Interner *, const char *, u32))
{
	if (file == 0 || is_global_name(p, name))
		return name;
	Buf b = {0};
	buf_printf(&b, "%s@%u", name_str(&p->names, name), file);
	u32 key = find(&p->names, (const char *)b.p, (u32)b.n);
	buf_free(&b);
	return key;
}

/* Uses add no names (a label in every proc would add one each): a key the
 * interner does not have is NONE, which global_lookup does not find. */
u32 global_key(Program *p, u32 name, u32 file)
{
	return key_by(p, name, file, intern_lookup);
}

u32 global_lookup(Program *p, u32 key)
{
	return key < p->global_of_name.n ? p->global_of_name.v[key] : NONE;
}

u32 global_get(Program *p, u32 key, u32 name, u32 file, u32 pos)
{
	u32 g = global_lookup(p, key);
	if (g != NONE)
		return g;
	vec_cover(&p->global_of_name, key, NONE);
	g = p->globals.n;
	Global gl = {.kind = G_NONE, .name = name, .file = file, .pos = pos, .decl = NONE,
		     .type = NONE, .chunk = NONE};
	vec_push(&p->globals, gl);
	p->global_of_name.v[key] = g;
	return g;
}

static bool resolve_from(Program *p, u32 first_decl);

/* Reads m.nif beside the first file for the module of a global symbol no
 * given file defines; each module is looked for once. */
static void load_module(Program *p, u32 name)
{
	const char *s = strrchr(name_str(&p->names, name), '.') + 1;
	Buf suffix = {0}; /* a copy: interning may move the names' bytes */
	buf_put(&suffix, s, strlen(s));
	u32 module = intern_input(&p->names, (const char *)suffix.p, (u32)suffix.n);
	buf_free(&suffix);
	if (module == NONE) /* the input's names fill the interner: name stays undeclared */
		return;
	const char *m = name_str(&p->names, module);
	if (module < p->module_tried.n && p->module_tried.v[module])
		return;
	if (p->in_worker)
		worker_fallback();
	vec_cover(&p->module_tried, module, false);
	p->module_tried.v[module] = true;
	const char *first = p->files.v[0]->path, *slash = strrchr(first, '/');
	Buf path = {0};
	buf_printf(&path, "%.*s%s.nif", slash ? (int)(slash - first + 1) : 0, first, m);
	buf_byte(&path, 0);
	u32 file = prog_add_file(p, (const char *)path.p);
	if (file == NONE) {
		buf_free(&path);
		return;
	}
	u32 decls = p->decls.n;
	scan_declarations(p, file);
	resolve_from(p, decls);
}

u32 global_find(Program *p, u32 name, u32 file)
{
	u32 g = global_lookup(p, global_key(p, name, file));
	if (g == NONE && is_global_name(p, name)) {
		load_module(p, name);
		g = global_lookup(p, name);
	}
	return g;
}

/* ---- the first pass -------------------------------------------------------------- */

bool is_decl_tag(u16 tag)
{
	return tag == TAG_proc || tag == TAG_rodata || tag == TAG_type || tag == TAG_gvar ||
	       tag == TAG_tvar;
}

static const GlobalKind decl_kind[TAG__COUNT] = {
	[TAG_proc] = G_PROC, [TAG_rodata] = G_RODATA, [TAG_type] = G_TYPE,
	[TAG_gvar] = G_GVAR, [TAG_tvar] = G_TVAR,
};

static u32 define_global(Checker *c, u32 n, GlobalKind kind)
{
	u32 name = nd(c, n)->val, key = key_by(c->p, name, c->file, intern_input);
	if (key == NONE) /* the input's names fill the interner: its error */
		return err(c, n, INTERN_FULL_MESSAGE), NONE;
	u32 g = global_get(c->p, key, name, c->file, nd(c, n)->pos);
	Global *gl = &c->p->globals.v[g];
	if (gl->defined) {
		err(c, n, "%s is defined twice", name_of(c, name));
		LineCol lc = src_linecol(c->p->files.v[gl->file], gl->pos);
		fprintf(stderr, "%s:%u:%u: note: the first definition is here\n",
			c->p->files.v[gl->file]->path, lc.line, lc.col);
		return NONE;
	}
	gl->kind = (u8)kind;
	gl->defined = true;
	gl->file = c->file;
	gl->pos = nd(c, n)->pos;
	return g;
}

/* Registers the declaration whose head was just opened. */
static void scan_decl(Checker *c, u32 head, u32 start, InfoFrame info)
{
	u16 tag = nd(c, head)->tag;
	u32 name = read_node(&c->rd);
	if (name == NONE || nd(c, name)->kind != N_SYMDEF) {
		if (!c->rd.failed)
			err(c, name == NONE ? head : name, "%s needs a name: (%s :name.0 ...)",
			    tag_name(c, head), tag_name(c, head));
		return;
	}
	u32 g = define_global(c, name, decl_kind[tag]);
	if (g == NONE)
		return;
	Decl d = {c->file, start, tag, g, info};
	c->p->globals.v[g].decl = c->p->decls.n;
	vec_push(&c->p->decls, d);
}

static void scan_top_node(Checker *c)
{
	InfoFrame info = reader_info(&c->rd);
	u32 start = read_node_start(&c->rd);
	if (read_peek_tag(&c->rd) == TAG_NOT_TREE) {
		read_node(&c->rd); /* an atom: the code pass reports it */
		c->p->last_code.v[c->file] = start;
		return;
	}
	u32 head = read_open(&c->rd);
	if (head == NONE)
		return;
	if (nd(c, head)->tag != TAG_UNKNOWN && is_decl_tag(nd(c, head)->tag))
		scan_decl(c, head, start, info);
	else
		c->p->last_code.v[c->file] = start;
	read_skip_rest(&c->rd);
	read_close(&c->rd);
}

bool scan_declarations(Program *p, u32 file)
{
	Checker c;
	checker_init(&c, p, file);
	vec_cover(&p->last_code, file, 0);
	reader_init(&c.rd, c.src, &p->names, &c.tree, file_module(p, file));
	u32 root = read_open(&c.rd);
	bool ok = root != NONE && nd(&c, root)->tag == TAG_stmts;
	while (ok && !c.rd.failed && read_peek_tag(&c.rd) != NONE) {
		tree_clear(&c.tree);
		scan_top_node(&c);
	}
	checker_release(&c);
	return true; /* syntax errors are reported by the code pass */
}

/* ---- types -------------------------------------------------------------------------- */

u32 type_size(Checker *c, u32 ty)
{
	u32 cycle;
	if (ty == NONE)
		return 0;
	if (!type_layout(&c->p->types, ty, &cycle))
		return 0; /* reported when declarations are resolved */
	return type_get(tys(c), ty)->size;
}

bool type_size_ok(Checker *c, u32 n, u32 ty)
{
	if (ty == NONE || type_size(c, ty) <= TYPE_SIZE_MAX) /* type_size lays ty out */
		return true;
	if (type_get(tys(c), ty)->name != NONE)
		return false; /* reported at its declaration (layout_named_types) */
	err(c, n, "%s is larger than 2 GiB: a type spans at most %u bytes", type_name(c, ty),
	    TYPE_SIZE_MAX);
	return false;
}

static u32 parse_scalar(Checker *c, u32 n, TypeKind k)
{
	i64 bits;
	u32 b = kid(c, n, 0);
	if (b == NONE || kid(c, n, 1) != NONE) {
		err(c, n, "(%s ...) needs a bit size, as in (%s +32)", tag_name(c, n), tag_name(c, n));
		return NONE;
	}
	if (!int_kid(c, b, &bits))
		return NONE;
	bool ok = k == TY_FLOAT ? bits == 32 || bits == 64
				: bits == 8 || bits == 16 || bits == 32 || bits == 64;
	if (!ok) {
		err(c, b, "(%s +%lld) is not a type; sizes are %s", tag_name(c, n), (long long)bits,
		    k == TY_FLOAT ? "32 and 64" : "8, 16, 32 and 64");
		return NONE;
	}
	return type_scalar(&c->p->types, k, (u32)bits);
}

static u32 parse_ptr(Checker *c, u32 n, TypeKind k)
{
	u32 e = kid(c, n, 0);
	if (e == NONE || kid(c, n, 1) != NONE) {
		err(c, n, "(%s T) takes one element type", tag_name(c, n));
		return NONE;
	}
	u32 elem = parse_type(c, e);
	return elem == NONE ? NONE : type_ptr(&c->p->types, k, elem);
}

static u32 parse_array(Checker *c, u32 n)
{
	u32 e = kid(c, n, 0), cn = kid(c, n, 1);
	i64 count;
	if (e == NONE || cn == NONE || kid(c, n, 2) != NONE) {
		err(c, n, "(array T +N) takes an element type and a count");
		return NONE;
	}
	u32 elem = parse_type(c, e);
	if (elem == NONE || !int_kid(c, cn, &count))
		return NONE;
	if (count < 0 || count > UINT32_MAX) {
		err(c, cn, "array count %lld is out of range", (long long)count);
		return NONE;
	}
	return type_array(&c->p->types, elem, (u64)count);
}

static u32 resolve_type_decl(Program *p, u32 g);

static u32 parse_named_type(Checker *c, u32 n)
{
	u32 name = nd(c, n)->val;
	u32 g = global_find(c->p, name, c->file);
	if (g == NONE || c->p->globals.v[g].kind != G_TYPE) {
		err(c, n, g == NONE ? "unknown type %s" : "%s is not a type", name_of(c, name));
		return NONE;
	}
	u32 t = resolve_type_decl(c->p, g);
	if (t == NONE)
		err(c, n, "type %s refers to itself", name_of(c, name));
	return t;
}

/* A pointer, an array or a name: a type that holds a type, or a name
 * whose declaration may be read now, inside this one. */
static u32 parse_outer_type(Checker *c, u32 n)
{
	const Node *x = nd(c, n);
	if (x->kind == N_SYM || x->kind == N_IDENT)
		return parse_named_type(c, n);
	switch (x->tag) {
	case TAG_ptr: return parse_ptr(c, n, TY_PTR);
	case TAG_aptr: return parse_ptr(c, n, TY_APTR);
	default: return parse_array(c, n);
	}
}

/* Types that hold types recurse, and so do names of types declared later
 * (resolve_type_decl), so they nest at most NEST_MAX levels in all,
 * counted on through the declarations read on the way (STACK_BYTES). */
u32 parse_type(Checker *c, u32 n)
{
	const Node *x = nd(c, n);
	if (x->kind == N_TREE) {
		switch (x->tag) {
		case TAG_bool: return T_BOOL;
		case TAG_i: return parse_scalar(c, n, TY_INT);
		case TAG_u: return parse_scalar(c, n, TY_UINT);
		case TAG_f: return parse_scalar(c, n, TY_FLOAT);
		case TAG_ptr:
		case TAG_aptr:
		case TAG_array: break;
		default: err(c, n, "expected a type"); return NONE;
		}
	} else if (x->kind != N_SYM && x->kind != N_IDENT) {
		err(c, n, "expected a type");
		return NONE;
	}
	if (!nest_enter(c, n, &c->p->type_depth, "types"))
		return NONE;
	u32 t = parse_outer_type(c, n);
	c->p->type_depth--;
	return t;
}

/* (fld :x T) ...  A field's type may be declared later in the file and
 * resolved here, adding its own fields to the table; so the fields are
 * gathered first and appended together, where they stay contiguous. */
static void parse_fields(Checker *c, u32 body, u32 t)
{
	Types *types = &c->p->types;
	VEC(Field) own = {0};
	for (u32 f = body + 1; f < node_end(&c->tree, body); f = node_next(&c->tree, f)) {
		u32 fname = kid(c, f, 0), fty = kid(c, f, 1);
		if (!is_tree(c, f, TAG_fld) || fname == NONE || fty == NONE || kid(c, f, 2) != NONE ||
		    (nd(c, fname)->kind != N_SYMDEF && nd(c, fname)->kind != N_IDENT)) {
			err(c, f, "expected a field: (fld :name T)");
			continue;
		}
		if (!type_field_new(types, t, nd(c, fname)->val))
			err(c, fname, "field %s is declared twice", name_of(c, nd(c, fname)->val));
		u32 ft = parse_type(c, fty);
		Field fl = {nd(c, fname)->val, ft == NONE ? T_RAW8 : ft, 0, nd(c, f)->pos};
		vec_push(&own, fl);
	}
	type_set_fields(types, t, own.v, own.n);
	vec_free(&own);
}

static bool is_packed(const Checker *c, u32 n)
{
	if (n == NONE)
		return false;
	if (is_tree(c, n, TAG_packed))
		return true;
	if (is_tree(c, n, TAG_pragmas))
		for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k))
			if (is_tree(c, k, TAG_packed))
				return true;
	return false;
}

static void parse_proc_type(Checker *c, u32 body, u32 t)
{
	Type *ty = &c->p->types.v.v[t];
	ty->kind = TY_PROC;
	ty->first = NONE;
	/* its value is a code address: its size is known now, when a signature
	 * read before the layout of named types puts it in a register */
	ty->size = ty->align = 8;
	ty->layout = LAYOUT_DONE;
	u32 k0 = kid(c, body, 0);
	if (k0 != NONE && (is_tree(c, k0, TAG_params) || is_tree(c, k0, TAG_result) ||
			   is_tree(c, k0, TAG_ret) || is_tree(c, k0, TAG_clobber))) {
		Sig s;
		parse_signature(c, body, k0, &s);
		c->p->types.v.v[t].first = c->p->sigs.n;
		vec_push(&c->p->sigs, s);
		return;
	}
	for (u32 k = body + 1; k < node_end(&c->tree, body); k = node_next(&c->tree, k))
		if (nd(c, k)->kind != N_EMPTY)
			parse_type(c, k); /* the seed's (proc Ret T1 T2): types only */
}

/* Reads (type :Name BODY [pragmas]) and returns the type it names. */
static u32 read_type_decl(Checker *c, u32 n, u32 g)
{
	u32 body = kid(c, n, 1);
	Global *gl = &c->p->globals.v[g];
	if (body == NONE) {
		err(c, n, "type needs a body: (type :Name (object ...))");
		return T_RAW8;
	}
	u16 tag = nd(c, body)->kind == N_TREE ? nd(c, body)->tag : TAG_UNKNOWN;
	if (tag != TAG_object && tag != TAG_union && tag != TAG_proc)
		return parse_type(c, body); /* an alias */
	u32 t = type_named(&c->p->types, gl->name, c->file, nd(c, n)->pos);
	c->p->globals.v[g].type = t; /* before the body, which may point to itself */
	c->p->types.v.v[t].kind = tag == TAG_union ? TY_UNION : TY_OBJECT;
	c->p->types.v.v[t].packed = is_packed(c, kid(c, n, 2));
	if (tag == TAG_proc)
		parse_proc_type(c, body, t);
	else
		parse_fields(c, body, t);
	return t;
}

enum { TYPE_RESOLVING = 0xfffffffe };

/* The type a type declaration names; NONE for an alias that refers to itself. */
static u32 resolve_type_decl(Program *p, u32 g)
{
	Global *gl = &p->globals.v[g];
	if (gl->type == TYPE_RESOLVING)
		return NONE;
	if (gl->type != NONE)
		return gl->type;
	gl->type = TYPE_RESOLVING;
	Checker *c = checker_new(); /* resolved inside the type that names it, NEST_MAX deep */
	u32 n = read_decl(c, p, gl->decl);
	u32 t = n == NONE ? T_RAW8 : read_type_decl(c, n, g);
	p->globals.v[g].type = t == NONE ? T_RAW8 : t;
	checker_delete(c);
	return p->globals.v[g].type;
}

/* Lays out the named types from `first` on: those of one resolve_from,
 * and of the modules it loads (each load lays out its own too; all of
 * them, at every load, took 89% of the time of 8,000 loaded modules in a
 * program of 100,000 types). */
static void layout_named_types(Program *p, u32 first)
{
	for (u32 t = MAX(first, (u32)T__PREDEF); t < p->types.v.n; t++) {
		u32 cycle;
		const Type *ty = &p->types.v.v[t];
		if (ty->name == NONE)
			continue;
		if (type_layout(&p->types, t, &cycle)) {
			if (type_too_big(&p->types, t))
				error_at(p->files.v[ty->file], ty->pos,
					 "type %s is larger than 2 GiB: a type spans at most %u bytes",
					 name_str(&p->names, ty->name), TYPE_SIZE_MAX);
			continue;
		}
		Type *cy = &p->types.v.v[cycle];
		SrcFile *f = p->files.v[cy->file];
		error_at(f, cy->pos, "type %s contains itself; use a pointer to it",
			 name_str(&p->names, cy->name));
		cy->layout = LAYOUT_DONE; /* reported once; its size stays 0 */
		cy->align = 1;
	}
}

/* ---- proc signatures -------------------------------------------------------------------- */

/* A proc's type is an anonymous proc type whose signature is the proc's. */
const Sig *proc_sig(const Program *p, u32 global)
{
	return &p->sigs.v[type_get(&p->types, p->globals.v[global].type)->first];
}

const Param *sig_param(const Program *p, const Sig *s, u32 i)
{
	return &p->params.v[s->first + i];
}

u32 find_param(const Program *p, const Sig *s, u32 name, bool results)
{
	u32 from = results ? s->nparams : 0, to = results ? s->nparams + s->nresults : s->nparams;
	for (u32 i = from; i < to; i++)
		if (sig_param(p, s, i)->name == name)
			return i;
	return NONE;
}

int proc_result_family(const Program *p, u32 global)
{
	const Sig *s = proc_sig(p, global);
	return s->nresults ? (int)sig_param(p, s, s->nparams)->reg : -1;
}

/* Where a parameter or result is: (s), or a register that fits type t. */
static bool param_loc(Checker *c, u32 loc, u32 t, Param *pr, bool result)
{
	u8 size;
	if (is_tree(c, loc, TAG_s)) {
		if (result) {
			err(c, loc, "a result must be in a register");
			return false;
		}
		if (t != NONE && type_size(c, t) > 8) {
			err(c, loc, "a stack parameter takes one 8-byte slot; pass a pointer to %s",
			    type_name(c, t));
			return false;
		}
		pr->reg = NOREG;
		return true;
	}
	u32 family = reg_location(c, loc, t, &size, result ? "a result" : "a parameter");
	if (family == NONE)
		return false;
	pr->reg = (u8)family;
	pr->size = size;
	return true;
}

/* A set of name ids (open addressing, NONE empty, at most half full). */
typedef struct NameSet {
	u32 *slot;
	u32 n, size;
} NameSet;

static bool name_set_add(NameSet *set, u32 name);

static void name_set_grow(NameSet *set)
{
	NameSet old = *set;
	set->size = old.size ? old.size * 2 : 16;
	set->n = 0;
	set->slot = xmalloc(set->size * sizeof(u32));
	memset(set->slot, 0xff, set->size * sizeof(u32));
	for (u32 i = 0; i < old.size; i++)
		if (old.slot[i] != NONE)
			name_set_add(set, old.slot[i]);
	free(old.slot);
}

/* Adds name to the set; true when it was there. */
static bool name_set_add(NameSet *set, u32 name)
{
	if ((set->n + 1) * 2 > set->size)
		name_set_grow(set);
	u32 h = (u32)((name * HASH_K1) >> 32) & (set->size - 1);
	for (; set->slot[h] != NONE; h = (h + 1) & (set->size - 1))
		if (set->slot[h] == name)
			return true;
	set->slot[h] = name;
	set->n++;
	return false;
}

/* One signature's parameters and results as they are read.  A parameter's
 * type may be a proc type declared later, whose signature is read
 * meanwhile: each signature gathers its own, and they join Program.params
 * together at its end (they once interleaved, and a proc type took the
 * parameters of the one its parameter named).  `names` and `regs` (taken
 * by params [0] and by results [1]) tell in constant time whether a new one
 * can clash with those before it; only then are they compared.  `names`
 * is built only for a signature of many (named_before). */
typedef struct SigParams {
	VEC(Param) own;
	NameSet names;
	u64 regs[2];
} SigParams;

/* Whether a parameter or result before this one is called `name`.  A
 * few are scanned; the set is built for more (allocating it for every
 * proc cost 0.3% of the benchmark). */
enum { PARAMS_SCANNED = 8 };

static bool named_before(SigParams *sp, u32 name)
{
	if (sp->own.n < PARAMS_SCANNED) {
		for (u32 i = 0; i < sp->own.n; i++)
			if (sp->own.v[i].name == name)
				return true;
		return false;
	}
	if (!sp->names.size) /* the first time past the few */
		for (u32 i = 0; i < sp->own.n; i++)
			name_set_add(&sp->names, sp->own.v[i].name);
	return name_set_add(&sp->names, name);
}

static void report_clashes(Checker *c, const SigParams *sp, const Param *pr, bool result,
			   u32 name, u32 loc, u32 nparams)
{
	for (u32 i = 0; i < sp->own.n; i++) {
		const Param *q = &sp->own.v[i];
		bool q_result = i >= nparams;
		if (q->name == pr->name)
			err(c, name, "%s is declared twice", name_of(c, pr->name));
		else if (pr->reg != NOREG && q->reg == pr->reg && q_result == result)
			err(c, loc, "%s and %s share register %s", name_of(c, q->name),
			    name_of(c, pr->name), reg_str(pr->reg, 8));
	}
}

static void parse_param(Checker *c, u32 n, bool result, Sig *s, SigParams *sp)
{
	u32 name = kid(c, n, 0), loc = kid(c, n, 1), tn = kid(c, n, 2);
	if (name == NONE || loc == NONE || tn == NONE || nd(c, name)->kind != N_SYMDEF) {
		err(c, n, "expected (%s :name.0 LOCATION TYPE)", tag_name(c, n));
		return;
	}
	u32 t = parse_type(c, tn);
	Param pr = {nd(c, name)->val, t == NONE ? T_RAW8 : t, NOREG, 8, 0, nd(c, n)->pos};
	if (!param_loc(c, loc, t, &pr, result))
		return;
	if (pr.reg == NOREG) {
		pr.offset = s->stack_bytes;
		s->stack_bytes += 8;
	}
	if (named_before(sp, pr.name) || (pr.reg != NOREG && (sp->regs[result] >> pr.reg & 1)))
		report_clashes(c, sp, &pr, result, name, loc, s->nparams);
	if (pr.reg != NOREG)
		sp->regs[result] |= 1ull << pr.reg;
	vec_push(&sp->own, pr);
	if (result)
		s->nresults++;
	else
		s->nparams++;
}

static void parse_clobbers(Checker *c, u32 n, Sig *s)
{
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		u32 family = reg_of_node(c, k, NULL);
		if (family == NONE)
			err(c, k, "expected a register in (clobber ...)");
		else if (family == RSP)
			err(c, k, "rsp cannot be clobbered; nifasm follows it instead");
		else
			s->clobbers |= 1u << family;
	}
}

/* Reads the header children of a proc (or proc type) starting at `from`. */
void parse_signature(Checker *c, u32 n, u32 from, Sig *s)
{
	SigParams sp = {0};
	*s = (Sig){.pos = nd(c, n)->pos};
	for (u32 k = from; k != NONE && k < node_end(&c->tree, n); k = node_next(&c->tree, k)) {
		u16 tag = nd(c, k)->kind == N_TREE ? nd(c, k)->tag : TAG_UNKNOWN;
		if (tag == TAG_params) {
			if (s->nresults)
				err(c, k, "(params ...) must come before the results");
			for (u32 q = k + 1; q < node_end(&c->tree, k); q = node_next(&c->tree, q))
				if (is_tree(c, q, TAG_param))
					parse_param(c, q, false, s, &sp);
				else
					err(c, q, "expected (param :name.0 LOCATION TYPE)");
		} else if (tag == TAG_result || tag == TAG_ret) {
			parse_param(c, k, true, s, &sp);
		} else if (tag == TAG_clobber) {
			parse_clobbers(c, k, s);
		} else if (tag == TAG_body || tag == TAG_stmts) {
			break;
		} else if (tag != TAG_pragmas && nd(c, k)->kind != N_EMPTY) {
			err(c, k, "unexpected %s in a proc header", nd(c, k)->kind == N_TREE ? tag_name(c, k) : "atom");
		}
	}
	s->first = c->p->params.n;
	vec_reserve(&c->p->params, sp.own.n);
	for (u32 i = 0; i < sp.own.n; i++)
		c->p->params.v[c->p->params.n++] = sp.own.v[i];
	vec_free(&sp.own);
	free(sp.names.slot);
}

/* Points checker c, already used for an earlier declaration, at another:
 * its reader and tree keep their vectors, which a proc's header would
 * otherwise grow from empty (about a quarter of resolving it). */
static void reopen_decl(Checker *c, Program *p, u32 decl)
{
	const Decl *d = &p->decls.v[decl];
	c->file = d->file;
	c->src = p->files.v[d->file];
	tree_clear(&c->tree);
	reader_restart_at(&c->rd, c->src, file_module(p, d->file), d->pos, d->info);
}

u32 read_proc_header(Checker *c, u32 *next)
{
	u32 n = read_open(&c->rd), tag = NONE;
	if (n == NONE)
		return NONE;
	while ((tag = read_peek_tag(&c->rd)) != NONE && tag != TAG_body && tag != TAG_stmts)
		if (read_node(&c->rd) == NONE)
			break;
	if (c->rd.failed)
		return NONE;
	c->tree.nodes.v[n].span = c->tree.nodes.n - n;
	*next = tag;
	return n;
}

/* A proc's header only: the body is not read here.  c stands at the
 * declaration. */
static void resolve_proc(Checker *c, Program *p, u32 decl)
{
	u32 g = p->decls.v[decl].global; /* a module loaded by a type in the header grows decls */
	u32 next, n = read_proc_header(c, &next);
	if (n == NONE) /* after a syntax error, its message is the one said */
		return;
	Sig s;
	parse_signature(c, n, kid(c, n, 1), &s);
	p->globals.v[g].type = type_proc(&p->types, p->sigs.n);
	vec_push(&p->sigs, s);
}

/* resolve_procs prefetches the header PREFETCH_AHEAD declarations on,
 * PREFETCH_BYTES of it (a benchmark proc's header is about 250 bytes). */
enum { PREFETCH_AHEAD = 4, PREFETCH_BYTES = 256 };

/* Asks for a declaration's first bytes ahead of time: after the first pass
 * went through the whole file, each header is out of the caches (and its
 * page out of the TLB), and reading it waited for memory. */
static void prefetch_decl(const Program *p, u32 d)
{
	const Decl *x = &p->decls.v[d];
	const char *at = p->files.v[x->file]->text + x->pos;
	for (u32 k = 0; k < PREFETCH_BYTES; k += 64)
		__builtin_prefetch(at + k);
}

/* The signatures of the procs among decls [first, last), read by one checker. */
static void resolve_procs(Program *p, u32 first, u32 last)
{
	Checker *c = checker_new();
	bool opened = false;
	for (u32 d = first; d < last; d++) {
		if (p->decls.v[d].tag != TAG_proc)
			continue;
		if (d + PREFETCH_AHEAD < last)
			prefetch_decl(p, d + PREFETCH_AHEAD);
		if (opened)
			reopen_decl(c, p, d);
		else
			open_decl(c, p, d);
		opened = true;
		resolve_proc(c, p, d);
	}
	if (opened)
		checker_release(c);
	free(c);
}

/* ---- data ---------------------------------------------------------------------------------- */

static void read_rodata(Checker *c, u32 n, u32 g)
{
	u32 val = kid(c, n, 1);
	if (val == NONE || nd(c, val)->kind != N_STR || kid(c, n, 2) != NONE) {
		err(c, val == NONE ? n : val, "rodata takes one string: (rodata :name.0 \"bytes\")");
		return;
	}
	Global *gl = &c->p->globals.v[g];
	gl->chunk = (u32)c->p->rodata.n;
	node_string(&c->tree, c->src->text, val, &c->p->rodata);
	gl->size = (u32)c->p->rodata.n - gl->chunk;
	gl->align = 1;
	gl->type = type_array(&c->p->types, type_scalar(&c->p->types, TY_UINT, 8), gl->size);
}

static bool init_value(Checker *c, u32 n, u32 t, Buf *out);

static bool init_scalar(Checker *c, u32 n, u32 t, Buf *out)
{
	const Type *ty = type_get(tys(c), t);
	const Node *x = nd(c, n);
	if (ty->kind == TY_FLOAT) {
		double d = x->kind == N_FLOAT ? node_float(&c->tree, n) : (double)node_int(&c->tree, n);
		if (x->kind != N_FLOAT && x->kind != N_INT && x->kind != N_UINT)
			return err(c, n, "expected a number for %s", type_name(c, t)), false;
		if (ty->size == 4) {
			float f = (float)d;
			buf_put(out, &f, 4);
		} else {
			buf_put(out, &d, 8);
		}
		return true;
	}
	if (x->kind != N_INT && x->kind != N_UINT && x->kind != N_CHAR)
		return err(c, n, "expected an integer for %s", type_name(c, t)), false;
	i64 v = node_int(&c->tree, n);
	if (!value_fits(c, v, x->kind == N_UINT, t)) {
		err(c, n, "%lld does not fit in %s", (long long)v, type_name(c, t));
		return false;
	}
	buf_le(out, (u64)v, (int)ty->size);
	return true;
}

/* A string initialises an array of bytes; the rest is zero. */
static bool init_string(Checker *c, u32 n, u32 t, Buf *out)
{
	const Type *ty = type_get(tys(c), t);
	if (ty->kind != TY_ARRAY || type_get(tys(c), ty->elem)->size != 1 || !type_is_int(tys(c), ty->elem))
		return err(c, n, "a string can only initialise an array of bytes, not %s", type_name(c, t)), false;
	size_t start = out->n;
	node_string(&c->tree, c->src->text, n, out);
	if (out->n - start > ty->count) {
		err(c, n, "the string has %zu bytes; %s holds %llu", out->n - start, type_name(c, t),
		    (unsigned long long)ty->count);
		return false;
	}
	buf_zero(out, ty->count - (out->n - start));
	return true;
}

/* (cons v1 v2 ...): the elements of an array or the fields of an object, in order. */
static bool init_cons(Checker *c, u32 n, u32 t, Buf *out)
{
	const Type *ty = type_get(tys(c), t);
	size_t start = out->n;
	u32 count = ty->kind == TY_ARRAY ? (u32)ty->count : ty->kind == TY_OBJECT ? ty->nfields : 0;
	u32 i = 0;
	bool ok = true;
	if (ty->kind != TY_ARRAY && ty->kind != TY_OBJECT)
		return err(c, n, "(cons ...) initialises an array or an object, not %s", type_name(c, t)), false;
	for (u32 k = n + 1; k < node_end(&c->tree, n); k = node_next(&c->tree, k), i++) {
		if (i == count)
			return err(c, k, "too many values for %s", type_name(c, t)), false;
		u32 et = ty->kind == TY_ARRAY ? ty->elem : tys(c)->fields.v[ty->first + i].type;
		u32 at = ty->kind == TY_ARRAY ? i * type_size(c, et) : tys(c)->fields.v[ty->first + i].offset;
		buf_zero(out, start + at - out->n);
		ok &= init_value(c, k, et, out);
		ty = type_get(tys(c), t);
	}
	buf_zero(out, start + ty->size - out->n);
	return ok;
}

/* A (cons ...) in a (cons ...) recurses: NEST_MAX levels at most. */
static bool init_nested(Checker *c, u32 n, u32 t, Buf *out)
{
	if (!nest_enter(c, n, &c->value_depth, "initial values"))
		return false;
	bool ok = init_cons(c, n, t, out);
	c->value_depth--;
	return ok;
}

static bool init_value(Checker *c, u32 n, u32 t, Buf *out)
{
	if (nd(c, n)->kind == N_STR)
		return init_string(c, n, t, out);
	if (is_tree(c, n, TAG_cons))
		return init_nested(c, n, t, out);
	if (!type_is_scalar(tys(c), t))
		return err(c, n, "%s needs (cons ...) or a string", type_name(c, t)), false;
	if (type_is_address(tys(c), t)) {
		if (nd(c, n)->kind != N_INT || node_int(&c->tree, n) != 0)
			return err(c, n, "a pointer can only be initialised with +0"), false;
	}
	return init_scalar(c, n, t, out);
}

/* (gvar :g.0 TYPE [INIT]) or (gvar :g.0 . TYPE [INIT]), the same for tvar;
 * the initial value goes to `pool` (data or the TLS template). */
static void read_var(Checker *c, u32 n, u32 g, Buf *pool)
{
	const char *what = tag_name(c, n);
	u32 k = kid(c, n, 1);
	if (k != NONE && nd(c, k)->kind == N_EMPTY)
		k = node_next(&c->tree, k) < node_end(&c->tree, n) ? node_next(&c->tree, k) : NONE;
	u32 init = k == NONE || node_next(&c->tree, k) >= node_end(&c->tree, n) ? NONE : node_next(&c->tree, k);
	if (k == NONE) {
		err(c, n, "%s needs a type: (%s :name.0 TYPE [INIT])", what, what);
		return;
	}
	u32 t = parse_type(c, k);
	Global *gl = &c->p->globals.v[g];
	gl->type = t == NONE || !type_size_ok(c, k, t) ? T_RAW8 : t;
	gl->size = type_size(c, gl->type);
	gl->align = MAX(type_get(tys(c), gl->type)->align, 1);
	if (init == NONE) {
		gl->chunk = NONE; /* .bss */
		return;
	}
	buf_align(pool, gl->align);
	gl->chunk = (u32)pool->n;
	if (!init_value(c, init, gl->type, pool))
		pool->n = gl->chunk;
	if (node_next(&c->tree, init) < node_end(&c->tree, n))
		err(c, node_next(&c->tree, init), "%s takes one initial value", what);
}

static void resolve_data(Program *p, u32 decl)
{
	Checker *c = checker_new();
	u32 n = read_decl(c, p, decl);
	u32 g = p->decls.v[decl].global;
	if (n == NONE) /* a syntax error, reported; code may still name the global */
		p->globals.v[g].type = T_RAW8;
	else if (p->decls.v[decl].tag == TAG_rodata)
		read_rodata(c, n, g);
	else if (p->decls.v[decl].tag == TAG_gvar)
		read_var(c, n, g, &p->data);
	else
		read_var(c, n, g, &p->tdata);
	checker_delete(c);
}

/* Reads the declarations from `first` on: types, their layouts, proc
 * signatures, then data. */
static bool resolve_from(Program *p, u32 first)
{
	u32 last = p->decls.n; /* a module loaded meanwhile resolves its own */
	u32 first_type = p->types.v.n;
	for (u32 d = first; d < last; d++)
		if (p->decls.v[d].tag == TAG_type)
			resolve_type_decl(p, p->decls.v[d].global);
	layout_named_types(p, first_type);
	resolve_procs(p, first, last);
	for (u32 d = first; d < last; d++)
		if (p->decls.v[d].tag != TAG_type && p->decls.v[d].tag != TAG_proc)
			resolve_data(p, d);
	return diag_error_count == 0;
}

bool resolve_declarations(Program *p) { return resolve_from(p, 0); }
