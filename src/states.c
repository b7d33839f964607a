/* states.c - a flow's variable states, one per slot: a persistent vector.
 *
 * A flow is copied at every branch, loop, label and jump, and most of a
 * copy stays as it was: a branch changes a few variables of the many in
 * scope.  So the states are a tree of small nodes (VS_LEAF states in a
 * leaf, VS_FAN children in an inner node) with reference counts.  A copy
 * shares the tree (one reference more); a write first copies the nodes on
 * the way to its slot that another flow shares, and only those.  Two flows
 * that share a node hold the same states below it, so vs_diff, which
 * compares two flows, skips it: a join costs what the paths changed, not
 * the number of variables in scope.  A proc of a few variables has a
 * single leaf, and a state is one load away, as in an array.
 *
 * Nodes no flow holds go back to the unit's free list (Unit.vs_free) and
 * are used again.
 *
 * A state joined with a path that lacks its variable becomes dead with no
 * last write (a cfvar's: false or unknown, and nothing else), and such a
 * join leaves it as it is from then on: it is settled.  One that no join
 * changes at all is final: a settled one but a cfvar's false, which a
 * path where the cfvar is true makes unknown.  Each node marks (VsNode.
 * marks) the states, or the children all of whose states, that are so,
 * and the joins skip what is marked (vs_join_diff), so many jumps that
 * lack the same variables pay for them once.  Whether a state is settled
 * depends on the state alone, so the marks hold for every flow that
 * shares the node, and vs_settle may mark a shared node.  A write clears
 * the marks on the way to its slot, and only those: a flow written
 * between joins keeps what it knew of the other slots.
 */
#include "check.h"

#include <string.h>

/* How many slots a tree of this depth holds. */
static u64 capacity(u32 depth) { return (u64)1 << (LEAF_BITS + FAN_BITS * depth); }

/* How many slots (a power of 2) each state or child of a node at this
 * depth holds: 1 in a leaf. */
static u32 part_bits(u32 depth) { return depth ? LEAF_BITS + FAN_BITS * (depth - 1) : 0; }

/* Which child of an inner node at this depth holds slot s. */
static u32 kid_index(u32 s, u32 depth) { return (s >> (LEAF_BITS + FAN_BITS * (depth - 1))) & (VS_FAN - 1); }

/* The marks of a leaf's first k states (k at most VS_LEAF). */
static u32 marks_of_first(u32 marks, u32 k) { return marks & (VS_SETTLED_ALL >> (VS_LEAF - k)) * VS_MARKS(0); }

/* The marks a parent gives its child x: settled, final, if all x's
 * states or children are. */
static u32 marks_for_parent(const VsNode *x)
{
	return ((x->marks & VS_SETTLED_ALL) == VS_SETTLED_ALL ? VS_SETTLED(0) : 0) |
	       ((x->marks & VS_FINAL_ALL) == VS_FINAL_ALL ? VS_FINAL(0) : 0);
}

static VsNode *node_new(Unit *u)
{
	VsNode *x = u->vs_free;
	if (x)
		u->vs_free = x->next_free;
	else
		x = xmalloc(sizeof *x);
	x->rc = 1;
	x->marks = 0; /* a node used again may have had any */
	return x;
}

/* One reference less; a node nothing holds goes to the free list, and
 * its children lose a reference. */
static void node_unref(Unit *u, VsNode *x, u32 depth)
{
	if (!x || --x->rc)
		return;
	if (depth)
		for (u32 i = 0; i < VS_FAN; i++)
			node_unref(u, x->kid[i], depth - 1);
	x->next_free = u->vs_free;
	u->vs_free = x;
}

void vs_drop(Unit *u, VarStates *t)
{
	node_unref(u, t->root, t->depth);
	*t = (VarStates){0};
}

void vs_free_nodes(Unit *u)
{
	while (u->vs_free) {
		VsNode *x = u->vs_free;
		u->vs_free = x->next_free;
		free(x);
	}
}

void vs_share(Unit *u, VarStates *dst, const VarStates *src)
{
	if (src->root)
		src->root->rc++; /* first: src may be dst */
	VarStates t = *src;
	vs_drop(u, dst);
	*dst = t;
}

const VarState *vs_get_deep(const VarStates *t, u32 s)
{
	const VsNode *x = t->root;
	for (u32 d = t->depth; d > 0; d--)
		x = x->kid[kid_index(s, d)];
	return &x->st[s & (VS_LEAF - 1)];
}

/* *p made the caller's own to write: itself if nothing else holds it,
 * else a copy (which holds the children too, and their marks), or a new
 * node if *p is NULL.  A leaf's copy takes its first `used` states and
 * their marks, the others being past the flow's end. */
static VsNode *own(Unit *u, VsNode **p, u32 depth, u32 used)
{
	VsNode *x = *p;
	if (x && x->rc == 1)
		return x;
	VsNode *y = node_new(u);
	if (depth) {
		for (u32 i = 0; i < VS_FAN; i++)
			if ((y->kid[i] = x ? x->kid[i] : NULL))
				y->kid[i]->rc++;
		y->marks = x ? x->marks : 0;
	} else if (x) {
		memcpy(y->st, x->st, used * sizeof(VarState));
		y->marks = marks_of_first(x->marks, used);
	}
	if (x)
		x->rc--; /* another flow still holds it */
	*p = y;
	return y;
}

/* The nodes on the way to slot s made t's own, and the slot's marks
 * cleared in each: its state is about to change. */
VarState *vs_set_slow(Unit *u, VarStates *t, u32 s)
{
	VsNode **p = &t->root;
	for (u32 d = t->depth; d > 0; d--) {
		VsNode *x = own(u, p, d, 0);
		x->marks &= ~VS_MARKS(kid_index(s, d));
		p = &x->kid[kid_index(s, d)];
	}
	u32 base = s & ~(VS_LEAF - 1);
	u32 used = t->n > base ? MIN(t->n - base, VS_LEAF) : 0;
	VsNode *leaf = own(u, p, 0, used);
	leaf->marks &= ~VS_MARKS(s - base);
	return &leaf->st[s - base];
}

void vs_push(Unit *u, VarStates *t, VarState st)
{
	if (t->root && t->n == capacity(t->depth)) { /* full: the root moves a level down */
		VsNode *r = node_new(u);
		r->kid[0] = t->root;
		for (u32 i = 1; i < VS_FAN; i++)
			r->kid[i] = NULL;
		r->marks = marks_for_parent(t->root);
		t->root = r;
		t->depth++;
	}
	*vs_set(u, t, t->n) = st;
	t->n++;
}

/* The states past n are dropped; the tree loses the levels it no longer
 * needs, so a flow that was deep once does not stay slow. */
void vs_cut_slow(Unit *u, VarStates *t, u32 n)
{
	t->n = n;
	while (t->depth > 0 && n <= capacity(t->depth - 1)) {
		VsNode *r = t->root, *k = r->kid[0];
		k->rc++;
		node_unref(u, r, t->depth);
		t->root = k;
		t->depth--;
	}
	if (n == 0)
		vs_drop(u, t);
}

static VsNode *ref(VsNode *x)
{
	if (x)
		x->rc++;
	return x;
}

/* The node at depth d for slots from base: a's below n, b's from n on.
 * A node wholly on one side is shared.  a, of depth da, may be shallower
 * than d (its flow had fewer slots): it is then the first child of nodes
 * that do not exist. */
static VsNode *splice_nodes(Unit *u, VsNode *a, u32 da, VsNode *b, u32 d, u64 base, u32 n)
{
	if (base >= n)
		return ref(b);
	if (base + capacity(d) <= n) {
		ASSERT(da == d); /* a holds n slots, so it is this deep */
		return ref(a);
	}
	VsNode *y = node_new(u);
	if (d == 0) {
		for (u32 i = 0; i < VS_LEAF; i++)
			if (base + i < n)
				y->st[i] = a->st[i];
			else if (b)
				y->st[i] = b->st[i];
		u32 k = (u32)(n - base); /* the states from a, and their marks */
		y->marks = marks_of_first(a->marks, k) | (b ? b->marks & ~marks_of_first(~0u, k) : 0);
		return y;
	}
	u64 span = capacity(d - 1);
	for (u32 i = 0; i < VS_FAN; i++) {
		VsNode *ak = da == d ? a->kid[i] : i == 0 ? a : NULL;
		y->kid[i] = splice_nodes(u, ak, MIN(da, d - 1), b ? b->kid[i] : NULL, d - 1, base + i * span, n);
		if (y->kid[i])
			y->marks |= marks_for_parent(y->kid[i]) << i;
	}
	return y;
}

void vs_splice(Unit *u, VarStates *dst, u32 n, const VarStates *src)
{
	ASSERT(n <= dst->n && n <= src->n);
	if (n == 0) {
		vs_share(u, dst, src);
		return;
	}
	VsNode *a = dst->root;
	u32 da = dst->depth;
	for (; da > src->depth; da--) /* the first n slots are in its first child */
		a = a->kid[0];
	VsNode *r = splice_nodes(u, a, da, src->root, src->depth, 0, n);
	vs_drop(u, dst);
	*dst = (VarStates){r, src->n, src->depth};
}

/* The states or children of x that `skip` (VS_SETTLED_ALL, VS_FINAL_ALL
 * or 0) says to leave out, bit i for the i-th. */
static u32 marked(const VsNode *x, u32 skip)
{
	u32 m = x->marks & skip;
	return (m | m >> 16) & 0xffffu;
}

/* The states or children, bit i for the i-th, of the node at this depth
 * for slots from base that hold slots in [lo, hi) (at least one does). */
static u32 overlapping(u32 depth, u64 base, u32 lo, u32 hi)
{
	u32 first = lo > base ? (u32)((lo - base) >> part_bits(depth)) : 0;
	u64 last = (hi - 1 - base) >> part_bits(depth);
	return (0xffffu >> (15 - MIN(last, 15))) & (0xffffu << first);
}

/* A walk over the slots [lo, hi) of two trees. */
typedef struct Walk {
	u32 lo, hi;
	u32 skip; /* marks that leave a state or child out: VS_SETTLED_ALL, VS_FINAL_ALL or 0 */
	VsVisit *fn;
	void *ctx;
} Walk;

/* Marked states and children are passed over a bit at a time, so a walk
 * costs what it enters, not 16 steps a node.  True if it compared a
 * state. */
static bool diff_nodes(const VsNode *a, const VsNode *b, u32 depth, u64 base, const Walk *w)
{
	if (a == b)
		return false; /* shared: the same states */
	u32 todo = overlapping(depth, base, w->lo, w->hi) & ~marked(a, w->skip);
	if (depth == 0) {
		for (u32 m = todo; m; m &= m - 1) {
			u32 i = (u32)__builtin_ctz(m);
			const VarState *x = &a->st[i], *y = b ? &b->st[i] : NULL;
			if (!y || !same_state(x, y))
				w->fn(w->ctx, (u32)base + i, x, y);
		}
		return todo != 0;
	}
	bool compared = false;
	for (; todo; todo &= todo - 1) {
		u32 i = (u32)__builtin_ctz(todo);
		compared |= diff_nodes(a->kid[i], b ? b->kid[i] : NULL, depth - 1, base + ((u64)i << part_bits(depth)), w);
	}
	return compared;
}

static bool diff_skipping(const VarStates *a, const VarStates *b, const Walk *w)
{
	if (w->lo >= w->hi)
		return false;
	ASSERT(w->hi <= a->n && (!b || w->hi <= b->n));
	const VsNode *x = a->root, *y = b ? b->root : NULL;
	u32 dx = a->depth, dy = b ? b->depth : dx, d = MIN(dx, dy);
	for (; dx > d; dx--) /* the slots below hi are in the deeper tree's first child */
		x = x->kid[0];
	for (; dy > d; dy--)
		y = y->kid[0];
	return diff_nodes(x, y, d, 0, w);
}

void vs_diff(const VarStates *a, const VarStates *b, u32 lo, u32 hi, VsVisit *fn, void *ctx)
{
	diff_skipping(a, b, &(Walk){lo, hi, 0, fn, ctx});
}

bool vs_join_diff(const VarStates *a, const VarStates *b, u32 lo, u32 hi, VsVisit *fn, void *ctx)
{
	return diff_skipping(a, b, &(Walk){lo, hi, b ? VS_FINAL_ALL : VS_SETTLED_ALL, fn, ctx});
}

/* The states or children of the node at this depth for slots from base
 * that are wholly at or past slot `end`, bit i for the i-th. */
static u32 past(u32 depth, u64 base, u32 end)
{
	u64 last = (end - 1 - base) >> part_bits(depth);
	return last >= 15 ? 0 : (0xfffeu << last) & 0xffffu;
}

/* sole_end: x holds the flow's last slot, hi - 1, and no other tree
 * reaches it (each node on its way has one reference).  What is past
 * the end is then marked too: no flow can see it, and one that shares x
 * later and pushes there copies it first, and the copy keeps no mark
 * past its end (own) or clears the marks on its way (vs_set_slow).  So
 * the last nodes can be full, and joins do not walk down to the end of
 * the flow every time. */
static void settle_nodes(VsNode *x, u32 depth, u64 base, u32 lo, u32 hi, bool sole_end)
{
	if (sole_end)
		x->marks |= past(depth, base, hi) * VS_MARKS(0);
	for (u32 todo = overlapping(depth, base, lo, hi) & ~x->marks & VS_SETTLED_ALL; todo; todo &= todo - 1) {
		u32 i = (u32)__builtin_ctz(todo);
		if (depth == 0) {
			x->marks |= x->st[i].st == CF_FALSE ? VS_SETTLED(i) : VS_MARKS(i);
			continue;
		}
		VsNode *k = x->kid[i];
		u64 kbase = base + ((u64)i << part_bits(depth));
		settle_nodes(k, depth - 1, kbase, lo, hi, sole_end && k->rc == 1 && hi - kbase <= capacity(depth - 1));
		x->marks |= marks_for_parent(k) << i;
	}
}

/* Only the nodes not marked yet are entered (one marked settled was
 * not written since): a join pays for the states written since the
 * last, not for all those it settles. */
void vs_settle(VarStates *t, u32 lo, u32 hi)
{
	if (lo >= hi)
		return;
	ASSERT(hi <= t->n);
	settle_nodes(t->root, t->depth, 0, lo, hi, hi == t->n && t->root->rc == 1);
}
