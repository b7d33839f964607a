/* heap.c - the guest's memory: a table of blocks that guest pointers name
 * by slot and generation (see vm.h).  A guest value can only ever be
 * turned into a host address through heap_at/heap_range, which check it
 * against the block it names.
 */
#include "vm.h"

/* A freed slot waits in a FIFO until RVM_QUARANTINE others are freed, so a
 * double free or a use after free is caught even when the program
 * allocates again in between; 8 bits of generation then cover 256 reuses. */
static u32 take_slot(Heap *h)
{
	if (h->freed.n - h->head > RVM_QUARANTINE)
		return h->freed.v[h->head++];
	if (h->head > 0 && h->head * 2 >= h->freed.n) { /* drop the consumed half */
		memmove(h->freed.v, h->freed.v + h->head, (h->freed.n - h->head) * sizeof(u32));
		h->freed.n -= h->head;
		h->head = 0;
	}
	u32 slot = h->blocks.n;
	if (slot == RVM_MAX_SLOTS)
		return NONE;
	vec_push(&h->blocks, ((Block){.id = slot << RVM_SLOT_SHIFT}));
	return slot;
}

void heap_init(Heap *h)
{
	*h = (Heap){0};
	vec_reserve(&h->blocks, 64);
	/* Slot 0: an id whose slot part is not 0, so no pointer matches it. */
	vec_push(&h->blocks, ((Block){.id = UINT32_MAX}));
	vec_push(&h->blocks, ((Block){.data = xcalloc(1, RVM_STACK_SIZE + RVM_PAD),
				      .size = RVM_STACK_SIZE,
				      .id = RVM_STACK_ID}));
	ASSERT(h->blocks.n == RVM_STACK_SLOT + 1);
}

void heap_destroy(Heap *h)
{
	for (u32 i = 0; i < h->blocks.n; i++)
		free(h->blocks.v[i].data);
	vec_free(&h->blocks);
	vec_free(&h->freed);
}

/* What is wrong with an access of n bytes at p (HEAP_OK if nothing). */
HeapStatus heap_check(const Heap *h, u64 p, u64 n)
{
	u32 slot = ptr_slot(p), off = ptr_offset(p);
	if (slot == 0 || slot >= h->blocks.n || h->blocks.v[slot].id != ptr_id(p))
		return HEAP_NOT_POINTER;
	const Block *b = &h->blocks.v[slot];
	if (!b->data)
		return HEAP_FREED;
	if (off > b->size || n > b->size - off)
		return HEAP_OUT_OF_BOUNDS;
	return HEAP_OK;
}

/* heap_at for any n, including 0 (then p may point just past the end). */
u8 *heap_range(const Heap *h, u64 p, u64 n)
{
	if (heap_check(h, p, n) != HEAP_OK)
		return NULL;
	return h->blocks.v[ptr_slot(p)].data + ptr_offset(p);
}

/* The block a pointer given to free or realloc must name: its start. */
static HeapStatus owned_block(const Heap *h, u64 p)
{
	HeapStatus s = heap_check(h, p, 0);
	if (s != HEAP_OK)
		return s;
	if (ptr_slot(p) == RVM_STACK_SLOT)
		return HEAP_STACK;
	return ptr_offset(p) == 0 ? HEAP_OK : HEAP_NOT_START;
}

static HeapStatus check_size(const Heap *h, u64 old_size, u64 size)
{
	if (size > RVM_HEAP_LIMIT || size - old_size > RVM_HEAP_LIMIT - h->live_bytes)
		return HEAP_TOO_BIG;
	return HEAP_OK;
}

HeapStatus heap_malloc(Heap *h, u64 size, u64 *out)
{
	HeapStatus s = check_size(h, 0, size);
	if (s != HEAP_OK)
		return s;
	u8 *data = calloc(1, size + RVM_PAD);
	if (!data)
		return HEAP_HOST_OOM;
	u32 slot = take_slot(h);
	if (slot == NONE) {
		free(data);
		return HEAP_TOO_MANY;
	}
	Block *b = &h->blocks.v[slot];
	b->id = (b->id & ~0xffu) | (u8)(b->id + 1);
	b->data = data;
	b->size = (u32)size;
	h->live_bytes += size;
	*out = make_ptr(b->id, 0);
	return HEAP_OK;
}

/* The block keeps its slot and id, so the pointer stays the same. */
HeapStatus heap_realloc(Heap *h, u64 p, u64 size, u64 *out)
{
	if (p == 0)
		return heap_malloc(h, size, out);
	HeapStatus s = owned_block(h, p);
	if (s != HEAP_OK)
		return s;
	Block *b = &h->blocks.v[ptr_slot(p)];
	if (size > b->size && (s = check_size(h, b->size, size)) != HEAP_OK)
		return s;
	u8 *data = realloc(b->data, size + RVM_PAD);
	if (!data)
		return HEAP_HOST_OOM;
	if (size > b->size)
		memset(data + b->size, 0, size - b->size);
	memset(data + size, 0, RVM_PAD);
	h->live_bytes = h->live_bytes - b->size + size;
	b->data = data;
	b->size = (u32)size;
	*out = p;
	return HEAP_OK;
}

HeapStatus heap_free(Heap *h, u64 p)
{
	HeapStatus s = owned_block(h, p);
	if (s != HEAP_OK)
		return s;
	Block *b = &h->blocks.v[ptr_slot(p)];
	free(b->data);
	h->live_bytes -= b->size;
	b->data = NULL;
	b->size = 0;
	vec_push(&h->freed, ptr_slot(p));
	return HEAP_OK;
}

const char *heap_status_text(HeapStatus s)
{
	static const char *const text[] = {
		[HEAP_OK] = "ok",
		[HEAP_NOT_POINTER] = "it points into no block",
		[HEAP_FREED] = "its block was freed",
		[HEAP_NOT_START] = "it points inside a block, not at its start",
		[HEAP_STACK] = "it points into the stack",
		[HEAP_OUT_OF_BOUNDS] = "it is out of bounds",
		[HEAP_TOO_BIG] = "the heap limit of 1 GiB would be exceeded",
		[HEAP_HOST_OOM] = "the host is out of memory",
		[HEAP_TOO_MANY] = "too many blocks are live",
	};
	return text[s];
}
