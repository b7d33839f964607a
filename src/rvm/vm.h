/* vm.h - the VM's internal structures: the guest memory model (heap.c),
 * the loaded program (load.c) and the interpreter (vm.c).
 */
#ifndef RVM_VM_H
#define RVM_VM_H

#include "rvm.h"

/* ---- guest memory -------------------------------------------------------------
 * A guest pointer never holds a host address.  It names a block and an
 * offset in it:
 *
 *   63              40 39      32 31                              0
 *  +------------------+----------+---------------------------------+
 *  |       slot       |   gen    |             offset              |
 *  +------------------+----------+---------------------------------+
 *
 * slot indexes the block table; gen must equal the generation the slot has
 * now, so a pointer kept after free never reaches the block that reuses the
 * slot.  The upper 32 bits together are the block's id.  Slot 0 is never
 * used (so 0 and small integers are not pointers); slot 1 is the stack.
 * Every host buffer has RVM_PAD spare zero bytes after its end, so an access
 * of up to 8 bytes that passed the bounds check can move 8 whole bytes.
 */
enum {
	RVM_SLOT_SHIFT = 8,       /* id = slot << 8 | gen */
	RVM_MAX_SLOTS = 1 << 24,
	RVM_PAD = 8,
	RVM_STACK_SLOT = 1,
	RVM_STACK_ID = RVM_STACK_SLOT << RVM_SLOT_SHIFT | 1,
	RVM_STACK_SIZE = 1 << 20,   /* bytes: 131072 slots of 8 bytes */
	RVM_QUARANTINE = 1024,      /* freed slots waiting before reuse */
};
#define RVM_HEAP_LIMIT (1ull << 30) /* live heap bytes */

typedef struct Block {
	u8 *data; /* NULL once freed */
	u32 size;
	u32 id;   /* the id pointers into it carry; kept after free */
} Block;

typedef struct Heap {
	VEC(Block) blocks; /* by slot; blocks.n slots exist */
	U32Vec freed; /* FIFO of freed slots; freed.v[head..] are waiting */
	u32 head;
	u64 live_bytes;
} Heap;

typedef enum HeapStatus {
	HEAP_OK,
	HEAP_NOT_POINTER, /* no block has this id (never was, or slot reused) */
	HEAP_FREED,       /* the block was freed */
	HEAP_NOT_START,   /* points inside a block, not at its start */
	HEAP_STACK,       /* points into the stack, which malloc did not return */
	HEAP_OUT_OF_BOUNDS,
	HEAP_TOO_BIG,     /* over RVM_HEAP_LIMIT */
	HEAP_HOST_OOM,    /* the host has no memory left */
	HEAP_TOO_MANY,    /* no slot left */
} HeapStatus;

static inline u32 ptr_id(u64 p) { return (u32)(p >> 32); }
static inline u32 ptr_slot(u64 p) { return (u32)(p >> (32 + RVM_SLOT_SHIFT)); }
static inline u32 ptr_offset(u64 p) { return (u32)p; }
static inline u64 make_ptr(u32 id, u32 off) { return (u64)id << 32 | off; }

/* The host address of n bytes at guest pointer p, or NULL when they are
 * not all inside one live block.  n is at most 8 here (load, store, push). */
static inline u8 *heap_at(const Heap *h, u64 p, u64 n)
{
	u32 slot = ptr_slot(p), off = ptr_offset(p);
	if (UNLIKELY(slot >= h->blocks.n))
		return NULL;
	const Block *b = &h->blocks.v[slot];
	if (UNLIKELY(b->id != ptr_id(p) || n > b->size || off > b->size - n))
		return NULL;
	return b->data + off;
}

void heap_init(Heap *h);
void heap_destroy(Heap *h);
u8 *heap_range(const Heap *h, u64 p, u64 n);
HeapStatus heap_check(const Heap *h, u64 p, u64 n);
HeapStatus heap_malloc(Heap *h, u64 size, u64 *out);
HeapStatus heap_realloc(Heap *h, u64 p, u64 size, u64 *out);
HeapStatus heap_free(Heap *h, u64 p);
const char *heap_status_text(HeapStatus s);

/* ---- the loaded program -----------------------------------------------------------
 * The loader checks every word and turns it into an Ins.  Each opcode has
 * two handlers: the general one, correct for every operand, and the fast
 * one, used when every register view is 8 bytes and every jump target is
 * known to be inside the program.  handler = 2 * opcode + fast.  An extra
 * instruction after the last one stops a run that falls off the end.
 */
enum { RVM_H_END = 2 * RVM_NOPS, RVM_NHANDLERS };

typedef struct Ins {
	const void *h; /* handler address (computed goto), set by the VM */
	u64 k;         /* ldi: the constant; jumps: the target index */
	u16 handler;
	u8 a, b, c;    /* register numbers */
	u8 wa, wb, wc; /* their view widths */
} Ins;

typedef struct Program {
	Ins *code;        /* n + 1 instructions */
	u32 n;
	const u8 *lines;  /* n little-endian u32, in the image */
	const char *path; /* in the image, not NUL-terminated */
	u32 pathlen;
} Program;

/* load.c: false (with a message) when the image is not valid bytecode. */
bool rvm_load(const u8 *image, size_t n, const char *file, Program *prog);
u32 rvm_line(const Program *prog, u32 index);

#endif
