/* types.c - the type table.  Structural types (integers, pointers, arrays)
 * are hash-consed, so two types are equal exactly when their ids are;
 * named types (object, union, proc) get one id per declaration.
 */
#include "nifasm.h"

#include <stdio.h>
#include <stdlib.h>

static u32 key_hash(u8 kind, u32 a, u64 b)
{
	u64 h = ((u64)kind * 0x9E3779B97F4A7C15ull) ^ ((u64)a * 0xC2B2AE3D27D4EB4Full) ^ b;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return (u32)(h ^ (h >> 32));
}

static u32 type_add(Types *ts, Type t)
{
	u32 id = ts->v.n;
	vec_push(&ts->v, t);
	return id;
}

void types_init(Types *ts)
{
	memset(ts, 0, sizeof *ts);
	ts->mask = 255;
	ts->slots = xmalloc((ts->mask + 1) * sizeof(u32));
	memset(ts->slots, 0xff, (ts->mask + 1) * sizeof(u32));
	ts->fmask = 63;
	ts->fslots = xmalloc((ts->fmask + 1) * sizeof(FieldSlot));
	memset(ts->fslots, 0xff, (ts->fmask + 1) * sizeof(FieldSlot));
	static const u32 raw_sizes[] = {1, 2, 4, 8, 16};
	for (u32 i = 0; i < COUNTOF(raw_sizes); i++)
		type_add(ts, (Type){.kind = TY_RAW, .layout = LAYOUT_DONE, .size = raw_sizes[i],
				    .align = raw_sizes[i], .elem = NONE, .name = NONE});
	type_add(ts, (Type){.kind = TY_BOOL, .layout = LAYOUT_DONE, .size = 1, .align = 1,
			    .elem = NONE, .name = NONE});
}

void types_free(Types *ts)
{
	vec_free(&ts->v);
	vec_free(&ts->fields);
	vec_free(&ts->walk);
	free(ts->slots);
	free(ts->fslots);
}

u32 type_raw(u32 bytes)
{
	switch (bytes) {
	case 1: return T_RAW1;
	case 2: return T_RAW2;
	case 4: return T_RAW4;
	case 8: return T_RAW8;
	case 16: return T_RAW16;
	}
	die("no raw type of %u bytes", bytes);
}

static bool same_key(const Type *t, u8 kind, u32 a, u64 b)
{
	if (t->kind != kind || t->name != NONE)
		return false;
	switch (kind) {
	case TY_INT:
	case TY_UINT:
	case TY_FLOAT:
		return t->size * 8 == a;
	case TY_ARRAY:
		return t->elem == a && t->count == b;
	default:
		return t->elem == a;
	}
}

static void grow_slots(Types *ts)
{
	u32 size = (ts->mask + 1) * 2;
	free(ts->slots);
	ts->slots = xmalloc(size * sizeof(u32));
	memset(ts->slots, 0xff, size * sizeof(u32));
	ts->mask = size - 1;
	for (u32 id = T__PREDEF; id < ts->v.n; id++) {
		Type *t = &ts->v.v[id];
		if (t->name != NONE || t->kind == TY_OBJECT || t->kind == TY_UNION || t->kind == TY_PROC)
			continue;
		u32 a = t->kind == TY_ARRAY || t->kind == TY_PTR || t->kind == TY_APTR ? t->elem
										 : t->size * 8;
		u32 h = key_hash(t->kind, a, t->count) & ts->mask;
		while (ts->slots[h] != NONE)
			h = (h + 1) & ts->mask;
		ts->slots[h] = id;
	}
}

/* Finds or adds the structural type (kind, a, b). */
static u32 type_cons(Types *ts, Type proto, u32 a, u64 b)
{
	if (ts->v.n * 2 > ts->mask)
		grow_slots(ts);
	u32 h = key_hash(proto.kind, a, b) & ts->mask;
	for (; ts->slots[h] != NONE; h = (h + 1) & ts->mask)
		if (same_key(&ts->v.v[ts->slots[h]], proto.kind, a, b))
			return ts->slots[h];
	proto.name = NONE;
	u32 id = type_add(ts, proto);
	ts->slots[h] = id;
	return id;
}

u32 type_scalar(Types *ts, TypeKind k, u32 bits)
{
	Type t = {.kind = (u8)k, .layout = LAYOUT_DONE, .size = bits / 8, .align = bits / 8,
		  .elem = NONE};
	return type_cons(ts, t, bits, 0);
}

u32 type_ptr(Types *ts, TypeKind k, u32 elem)
{
	Type t = {.kind = (u8)k, .layout = LAYOUT_DONE, .size = 8, .align = 8, .elem = elem};
	return type_cons(ts, t, elem, 0);
}

/* An array's size is known once its element's layout is. */
u32 type_array(Types *ts, u32 elem, u64 count)
{
	Type t = {.kind = TY_ARRAY, .elem = elem, .count = count};
	return type_cons(ts, t, elem, count);
}

u32 type_proc(Types *ts, u32 sig)
{
	return type_add(ts, (Type){.kind = TY_PROC, .layout = LAYOUT_DONE, .size = 8, .align = 8,
				   .elem = NONE, .first = sig, .name = NONE});
}

u32 type_named(Types *ts, u32 name, u32 file, u32 pos)
{
	return type_add(ts, (Type){.kind = TY_OBJECT, .elem = NONE, .name = name, .file = file, .pos = pos});
}

static u32 saturate(u64 n) { return n > TYPE_TOO_BIG ? TYPE_TOO_BIG : (u32)n; }

/* An object's or a union's offsets, size and alignment, from its fields',
 * all laid out. */
static void layout_fields(Types *ts, u32 ty)
{
	Type *t = &ts->v.v[ty];
	u64 off = 0, size = 0;
	u32 align = 1;
	for (u32 i = 0; i < t->nfields; i++) {
		const Type *f = &ts->v.v[ts->fields.v[t->first + i].type];
		u32 falign = t->packed ? 1 : f->align;
		u64 at = t->kind == TY_UNION ? 0 : align_up(off, falign);
		ts->fields.v[t->first + i].offset = saturate(at);
		off = at + f->size;
		size = MAX(size, off);
		align = MAX(align, falign);
	}
	t->align = align;
	t->size = saturate(t->packed && t->kind == TY_OBJECT ? size : align_up(size, align));
}

/* The i-th type that ty holds by value (an array's element, a field's
 * type), or NONE past the last. */
static u32 inner_type(const Types *ts, u32 ty, u32 i)
{
	const Type *t = &ts->v.v[ty];
	if (t->kind == TY_ARRAY)
		return i == 0 ? t->elem : NONE;
	if (t->kind == TY_OBJECT || t->kind == TY_UNION)
		return i < t->nfields ? ts->fields.v[t->first + i].type : NONE;
	return NONE;
}

/* Lays out ty, whose inner types are laid out. */
static void layout_one(Types *ts, u32 ty)
{
	Type *t = &ts->v.v[ty];
	if (t->kind == TY_ARRAY) {
		const Type *e = &ts->v.v[t->elem];
		/* count < 2^32 and e->size <= 2^31: the product fits */
		t->size = saturate((u64)e->size * t->count);
		t->align = e->align;
	} else if (t->kind == TY_OBJECT || t->kind == TY_UNION) {
		layout_fields(ts, ty);
	} else if (t->kind == TY_PROC) {
		t->size = t->align = 8; /* a proc type's value is its code address */
	}
	t->layout = LAYOUT_DONE;
}

/* Depth first, inner types before the types that hold them, on a stack
 * of our own (ts->walk: a type and the index of its next inner type), not
 * by recursion: aliases declared in order nest arrays, and objects hold
 * objects, without limit. */
bool type_layout(Types *ts, u32 ty, u32 *cycle)
{
	if (ts->v.v[ty].layout == LAYOUT_DONE)
		return true;
	U32Vec *w = &ts->walk;
	w->n = 0;
	ts->v.v[ty].layout = LAYOUT_BUSY;
	vec_push(w, ty);
	vec_push(w, 0);
	while (w->n) {
		u32 top = w->v[w->n - 2], inner = inner_type(ts, top, w->v[w->n - 1]++);
		if (inner == NONE) {
			layout_one(ts, top);
			w->n -= 2;
			continue;
		}
		u8 state = ts->v.v[inner].layout;
		if (state == LAYOUT_DONE)
			continue;
		if (state == LAYOUT_BUSY) { /* inner contains itself: nothing on the way is laid out */
			*cycle = inner;
			for (u32 i = 0; i < w->n; i += 2)
				ts->v.v[w->v[i]].layout = LAYOUT_NONE;
			return false;
		}
		ts->v.v[inner].layout = LAYOUT_BUSY;
		vec_push(w, inner);
		vec_push(w, 0);
	}
	return true;
}

/* ---- fields by name ----------------------------------------------------------------
 * Every field's (type, name) is in one open-addressed table, so that
 * finding a field and noticing a name declared twice take the same time
 * in an object of three fields and in one of a million. */

/* The slot of (ty, name): where it is, or the empty slot where it goes. */
static FieldSlot *field_slot(const Types *ts, u32 ty, u32 name)
{
	u32 h = key_hash(TY_OBJECT, ty, name) & ts->fmask;
	FieldSlot *s = &ts->fslots[h];
	while (s->type != NONE && (s->type != ty || s->name != name)) {
		h = (h + 1) & ts->fmask;
		s = &ts->fslots[h];
	}
	return s;
}

static void grow_field_slots(Types *ts)
{
	FieldSlot *old = ts->fslots;
	u32 old_size = ts->fmask + 1;
	ts->fmask = old_size * 2 - 1;
	ts->fslots = xmalloc(old_size * 2 * sizeof(FieldSlot));
	memset(ts->fslots, 0xff, old_size * 2 * sizeof(FieldSlot));
	for (u32 i = 0; i < old_size; i++)
		if (old[i].type != NONE)
			*field_slot(ts, old[i].type, old[i].name) = old[i];
	free(old);
}

/* Notes that object or union ty declares a field `name`; false when it
 * already did. */
bool type_field_new(Types *ts, u32 ty, u32 name)
{
	if (ts->fcount >= ts->fmask / 4 * 3)
		grow_field_slots(ts);
	FieldSlot *s = field_slot(ts, ty, name);
	if (s->type != NONE)
		return false;
	*s = (FieldSlot){ty, name, NONE};
	ts->fcount++;
	return true;
}

/* Gives ty its fields, declared with type_field_new: they are appended to
 * Types.fields together.  Of a name declared twice, the first is found. */
void type_set_fields(Types *ts, u32 ty, const Field *f, u32 n)
{
	Type *t = &ts->v.v[ty];
	t->first = ts->fields.n;
	t->nfields = n;
	for (u32 i = 0; i < n; i++) {
		FieldSlot *s = field_slot(ts, ty, f[i].name);
		if (s->field == NONE)
			s->field = t->first + i;
		vec_push(&ts->fields, f[i]);
	}
}

/* A few fields are faster to scan than to hash (0.2% of the instructions
 * of the benchmark, whose objects have four). */
enum { FIELDS_SCANNED = 8 };

const Field *type_field(const Types *ts, u32 ty, u32 name)
{
	const Type *t = &ts->v.v[ty];
	if (t->kind != TY_OBJECT && t->kind != TY_UNION)
		return NULL;
	if (t->nfields <= FIELDS_SCANNED) {
		for (u32 i = 0; i < t->nfields; i++)
			if (ts->fields.v[t->first + i].name == name)
				return &ts->fields.v[t->first + i];
		return NULL;
	}
	const FieldSlot *s = field_slot(ts, ty, name);
	return s->type != NONE && s->field != NONE ? &ts->fields.v[s->field] : NULL;
}

bool type_is_int(const Types *ts, u32 ty)
{
	u8 k = ts->v.v[ty].kind;
	return k == TY_INT || k == TY_UINT;
}

bool type_is_scalar(const Types *ts, u32 ty)
{
	u8 k = ts->v.v[ty].kind;
	return k == TY_RAW || k == TY_BOOL || k == TY_INT || k == TY_UINT || k == TY_FLOAT ||
	       k == TY_PTR || k == TY_APTR || k == TY_PROC;
}

static const char *const scalar_prefix[] = {
	[TY_INT] = "i", [TY_UINT] = "u", [TY_FLOAT] = "f",
};

static bool holds_type(const Type *t)
{
	return t->name == NONE && (t->kind == TY_PTR || t->kind == TY_APTR || t->kind == TY_ARRAY);
}

static void type_str_leaf(const Type *t, const Interner *in, Buf *b)
{
	if (t->name != NONE)
		buf_put(b, name_str(in, t->name), name_len(in, t->name));
	else if (t->kind == TY_RAW)
		buf_printf(b, "%u-bit register", t->size * 8);
	else if (t->kind == TY_BOOL)
		buf_printf(b, "(bool)");
	else if (t->kind == TY_INT || t->kind == TY_UINT || t->kind == TY_FLOAT)
		buf_printf(b, "(%s +%u)", scalar_prefix[t->kind], t->size * 8);
	else if (t->kind == TY_PROC)
		buf_printf(b, "a proc");
	else
		buf_printf(b, "<anonymous type>");
}

/* Pointers and arrays open before their element and close after it, in
 * a loop over the chain, not by recursion: aliases nest them without
 * limit. */
const char *type_str(const Types *ts, const Interner *in, u32 ty, Buf *b)
{
	U32Vec chain = {0};
	for (; holds_type(&ts->v.v[ty]); ty = ts->v.v[ty].elem) {
		vec_push(&chain, ty);
		buf_printf(b, "(%s ", ts->v.v[ty].kind == TY_PTR ? "ptr" : ts->v.v[ty].kind == TY_APTR ? "aptr" : "array");
	}
	type_str_leaf(&ts->v.v[ty], in, b);
	for (u32 i = chain.n; i-- > 0;) {
		const Type *t = &ts->v.v[chain.v[i]];
		if (t->kind == TY_ARRAY)
			buf_printf(b, " +%llu", (unsigned long long)t->count);
		buf_byte(b, ')');
	}
	vec_free(&chain);
	buf_byte(b, 0);
	b->n--;
	return (const char *)b->p;
}
