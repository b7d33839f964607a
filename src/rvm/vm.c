/* vm.c - the rvm interpreter.
 *
 * Dispatch is direct threading by computed goto: every Ins carries the
 * address of its handler, and each handler ends by jumping to the next
 * one's.  Build with -DRVM_SWITCH_DISPATCH for a portable switch loop.
 *
 * Every opcode has a general handler (register views of any width, jump
 * targets checked) and a fast one (all views 8 bytes, targets known to be
 * good); the loader picks.  The guest reaches memory only through heap_at
 * and heap_range, so no guest value ever becomes a host address unchecked.
 */
#include "vm.h"

#include <math.h>
#include <stdio.h>

#if !defined(RVM_SWITCH_DISPATCH) && !defined(__GNUC__)
#define RVM_SWITCH_DISPATCH 1 /* labels as values are a GNU C extension */
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "load and store move guest bytes as little-endian host words"
#endif

typedef struct Vm {
	u64 r[RVM_NREGS];
	Program prog;
	Heap heap;
} Vm;

/* ---- values --------------------------------------------------------------- */

static const u64 view_mask[4] = {0xff, 0xffff, 0xffffffff, ~0ull};

/* Writing a view changes only its bytes. */
static inline void put_view(u64 *reg, u8 width, u64 v)
{
	*reg = (*reg & ~view_mask[width]) | (v & view_mask[width]);
}

static inline u64 msb(u8 width) { return (view_mask[width] >> 1) + 1; }

static inline u64 bytes_mask(u64 n) { return ~0ull >> (64 - 8 * n); } /* n in 1..8 */

static inline u64 load64(const u8 *m)
{
	u64 v;
	memcpy(&v, m, 8);
	return v;
}

static inline void store64(u8 *m, u64 v) { memcpy(m, &v, 8); }

/* Stores the low n bytes of v; the block's padding makes 8 bytes safe. */
static inline void store_bytes(u8 *m, u64 n, u64 v)
{
	u64 mask = bytes_mask(n);
	store64(m, (load64(m) & ~mask) | (v & mask));
}

static inline double f64(u64 bits)
{
	double d;
	memcpy(&d, &bits, 8);
	return d;
}

static inline u64 f64_bits(double d)
{
	u64 bits;
	memcpy(&bits, &d, 8);
	return bits;
}

static inline u64 f32_bits(float f)
{
	u32 bits;
	memcpy(&bits, &f, 4);
	return bits;
}

/* A float view: 4 bytes hold an f32, 8 bytes an f64. */
static inline double get_float(u64 reg, u8 width)
{
	if (width == W8)
		return f64(reg);
	u32 bits = (u32)reg;
	float f;
	memcpy(&f, &bits, 4);
	return f;
}

static inline u64 float_bits(double d, u8 width)
{
	return width == W8 ? f64_bits(d) : f32_bits((float)d);
}

static inline u64 int_to_float_bits(u64 v, u8 width)
{
	return width == W8 ? f64_bits((double)(i64)v) : f32_bits((float)(i64)v);
}

/* Truncates toward zero; saturates out of range; NaN gives 0. */
static inline u64 float_to_int(double d)
{
	if (isnan(d))
		return 0;
	if (d >= 0x1p63)
		return (u64)INT64_MAX;
	if (d < -0x1p63)
		return (u64)INT64_MIN;
	return (u64)(i64)d;
}

/* Signed division; INT64_MIN / -1 wraps instead of trapping. */
static inline u64 sdiv(u64 x, u64 y) { return y == ~0ull ? 0 - x : (u64)((i64)x / (i64)y); }
static inline u64 smod(u64 x, u64 y) { return y == ~0ull ? 0 : (u64)((i64)x % (i64)y); }

static inline u64 shift_left(u64 v, u64 n) { return n < 64 ? v << n : 0; }
static inline u64 shift_right(u64 v, u64 n) { return n < 64 ? v >> n : 0; }

/* Rotates the low 8 << width bits of v (v holds no other bits). */
static inline u64 rotate_left(u64 v, u64 n, u8 width)
{
	u32 bits = 8u << width;
	n %= bits;
	return n ? ((v << n) | (v >> (bits - n))) & view_mask[width] : v;
}

static inline u64 rotate_right(u64 v, u64 n, u8 width)
{
	u32 bits = 8u << width;
	return rotate_left(v, bits - n % bits, width);
}

/* ---- runtime errors: "FILE:LINE: runtime error: ..." ------------------------------- */

static int runtime_error(const Vm *vm, const Ins *ip, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), cold));
static int runtime_error(const Vm *vm, const Ins *ip, const char *fmt, ...)
{
	const Program *p = &vm->prog;
	va_list ap;
	fprintf(stderr, "%.*s:%u: runtime error: ", (int)p->pathlen, p->path,
		rvm_line(p, (u32)(ip - p->code)));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static int access_error(const Vm *vm, const Ins *ip, const char *what, u64 p, u64 n)
    __attribute__((cold));
static int access_error(const Vm *vm, const Ins *ip, const char *what, u64 p, u64 n)
{
	HeapStatus s = heap_check(&vm->heap, p, n);
	if (s == HEAP_OUT_OF_BOUNDS)
		return runtime_error(vm, ip,
				     "%s of %llu byte%s at offset %u runs past the end of a %u-byte block",
				     what, (unsigned long long)n, n == 1 ? "" : "s", ptr_offset(p),
				     vm->heap.blocks.v[ptr_slot(p)].size);
	return runtime_error(vm, ip, "%s at 0x%llx: %s", what, (unsigned long long)p,
			     heap_status_text(s));
}

/* load and store move 1 to 8 bytes. */
static int load_store_error(const Vm *vm, const Ins *ip, const char *what, u64 p, u64 n)
    __attribute__((cold));
static int load_store_error(const Vm *vm, const Ins *ip, const char *what, u64 p, u64 n)
{
	if (n - 1 > 7)
		return runtime_error(vm, ip, "%s length %llu is not 1 to 8 bytes", what,
				     (unsigned long long)n);
	return access_error(vm, ip, what, p, n);
}

/* A push or pop of `need` bytes that found sp unusable. */
static int stack_error(const Vm *vm, const Ins *ip, bool pushing, u64 need) __attribute__((cold));
static int stack_error(const Vm *vm, const Ins *ip, bool pushing, u64 need)
{
	u64 sp = vm->r[RVM_SP];
	if (ptr_id(sp) != RVM_STACK_ID || ptr_offset(sp) > RVM_STACK_SIZE)
		return runtime_error(vm, ip, "sp (0x%llx) does not point into the stack",
				     (unsigned long long)sp);
	if (pushing)
		return runtime_error(vm, ip, "stack overflow (the stack is %d bytes)", RVM_STACK_SIZE);
	return runtime_error(vm, ip, "pop of %llu bytes from a stack that holds %u",
			     (unsigned long long)need, RVM_STACK_SIZE - ptr_offset(sp));
}

static int jump_error(const Vm *vm, const Ins *ip, u64 target) __attribute__((cold));
static int jump_error(const Vm *vm, const Ins *ip, u64 target)
{
	return runtime_error(vm, ip, "jump to instruction %llu, outside the program (%u instructions)",
			     (unsigned long long)target, vm->prog.n);
}

/* A failed malloc, realloc or free: about the size when memory ran out,
 * else about the pointer. */
static int heap_error(const Vm *vm, const Ins *ip, const char *what, u64 ptr, u64 size,
		      HeapStatus s) __attribute__((cold));
static int heap_error(const Vm *vm, const Ins *ip, const char *what, u64 ptr, u64 size,
		      HeapStatus s)
{
	if (s == HEAP_FREED && !strcmp(what, "free"))
		return runtime_error(vm, ip, "double free of 0x%llx", (unsigned long long)ptr);
	if (s == HEAP_TOO_BIG || s == HEAP_HOST_OOM || s == HEAP_TOO_MANY)
		return runtime_error(vm, ip, "%s of %llu bytes: %s", what, (unsigned long long)size,
				     heap_status_text(s));
	return runtime_error(vm, ip, "%s of 0x%llx: %s", what, (unsigned long long)ptr,
			     heap_status_text(s));
}

/* ---- the stack ---------------------------------------------------------------------------
 * sp points at the last value pushed; the stack is slot 1 and grows down
 * from its end.  These return the host address of `need` bytes at the new
 * (push) or current (pop) sp, or NULL.
 */
static inline u8 *stack_push(Vm *vm, u8 *stack, u64 need)
{
	u64 sp = vm->r[RVM_SP] - need;
	if (UNLIKELY(ptr_id(sp) != RVM_STACK_ID || ptr_offset(sp) > RVM_STACK_SIZE - need))
		return NULL;
	vm->r[RVM_SP] = sp;
	return stack + ptr_offset(sp);
}

static inline u8 *stack_pop(Vm *vm, u8 *stack, u64 need)
{
	u64 sp = vm->r[RVM_SP];
	if (UNLIKELY(ptr_id(sp) != RVM_STACK_ID || ptr_offset(sp) > RVM_STACK_SIZE - need))
		return NULL;
	vm->r[RVM_SP] = sp + need;
	return stack + ptr_offset(sp);
}

/* ---- the dispatch loop ---------------------------------------------------------------- */

#ifdef RVM_SWITCH_DISPATCH
#define GENERAL(id) case 2 * RVM_##id:
#define FAST(id) case 2 * RVM_##id + 1:
#define END_LABEL case RVM_H_END:
#define DISPATCH() goto dispatch
#else
#define GENERAL(id) G_##id:
#define FAST(id) F_##id:
#define END_LABEL H_END:
#define DISPATCH() goto *ip->h
#endif
/* GCC merges the common tails of handlers (the "ip++; goto *ip->h") into one
 * shared indirect jump, which the branch predictor then sees as one; keep
 * a dispatch jump per handler. */
#if defined(__GNUC__) && !defined(__clang__) && !defined(RVM_SWITCH_DISPATCH)
#define VM_LOOP_ATTRS __attribute__((optimize("no-crossjumping", "no-gcse")))
#else
#define VM_LOOP_ATTRS
#endif
#define BOTH(id) GENERAL(id) FAST(id)
#define NEXT() do { ip++; DISPATCH(); } while (0)
#define JUMP(index) do { ip = code + (index); DISPATCH(); } while (0)
#define FAIL(call) do { status = (call); goto out; } while (0)
#define CHECKED_JUMP(index)                                  \
	do {                                                 \
		u64 t_ = (index);                            \
		if (UNLIKELY(t_ >= vm->prog.n))              \
			FAIL(jump_error(vm, ip, t_));        \
		JUMP(t_);                                    \
	} while (0)

/* m = the host address of the n bytes (1 to 8) at guest pointer p, or stop. */
#define ACCESS(m, p, n, what)                                                \
	do {                                                                 \
		u64 p_ = (p), n_ = (n);                                      \
		(m) = heap_at(heap, p_, n_);                                 \
		if (UNLIKELY(!(m) || n_ - 1 > 7))                            \
			FAIL(load_store_error(vm, ip, (what), p_, n_));      \
	} while (0)

/* The stack: 8-byte slots, and call's frame of fp and the return address. */
#define NEXT_INDEX() ((u64)(ip - code) + 1)
#define PUSH8(v)                                                             \
	do {                                                                 \
		u64 v_ = (v); /* before sp moves: push sp pushes the old sp */ \
		u8 *m_ = stack_push(vm, stack, 8);                           \
		if (UNLIKELY(!m_))                                           \
			FAIL(stack_error(vm, ip, true, 8));                  \
		store64(m_, v_);                                             \
	} while (0)
#define POP8(dest)                                                           \
	do {                                                                 \
		u8 *m_ = stack_pop(vm, stack, 8);                            \
		if (UNLIKELY(!m_))                                           \
			FAIL(stack_error(vm, ip, false, 8));                 \
		(dest) = load64(m_);                                         \
	} while (0)
#define PUSH_FRAME()                                                         \
	do {                                                                 \
		u8 *m_ = stack_push(vm, stack, 16);                          \
		if (UNLIKELY(!m_))                                           \
			FAIL(stack_error(vm, ip, true, 16));                 \
		store64(m_ + 8, r[RVM_FP]);                                  \
		store64(m_, NEXT_INDEX());                                   \
	} while (0)

/* Operand access: R is a whole register (fast handlers), GET reads a
 * view zero-extended, PUT writes a view. */
#define R(f) r[ip->f]
#define GET(f) (r[ip->f] & view_mask[ip->w##f])
#define PUT(f, v) put_view(&r[ip->f], ip->w##f, (v))

/* dest = expr(x, y), x and y the values of operands B and C. */
#define INT_OP(id, expr)                                                          \
	FAST(id) { u64 x = R(b), y = R(c); R(a) = (expr); NEXT(); }                  \
	GENERAL(id) { u64 x = GET(b), y = GET(c); PUT(a, (expr)); NEXT(); }
#define DIV_OP(id, fn)                                                            \
	FAST(id) {                                                                  \
		u64 x = R(b), y = R(c);                                             \
		if (UNLIKELY(y == 0))                                               \
			FAIL(runtime_error(vm, ip, "division by zero"));            \
		R(a) = fn(x, y);                                                    \
		NEXT();                                                             \
	}                                                                           \
	GENERAL(id) {                                                               \
		u64 x = GET(b), y = GET(c);                                         \
		if (UNLIKELY(y == 0))                                               \
			FAIL(runtime_error(vm, ip, "division by zero"));            \
		PUT(a, fn(x, y));                                                   \
		NEXT();                                                             \
	}
#define FLOAT_OP(id, expr)                                                        \
	FAST(id) { double x = f64(R(b)), y = f64(R(c)); R(a) = f64_bits(expr); NEXT(); } \
	GENERAL(id) {                                                               \
		double x = get_float(R(b), ip->wb), y = get_float(R(c), ip->wc);    \
		PUT(a, float_bits(expr, ip->wa));                                   \
		NEXT();                                                             \
	}
#define COND_JUMP(id, cond)                                                       \
	FAST(id) { if (R(a) cond 0) JUMP(ip->k); NEXT(); }                           \
	GENERAL(id) { if (GET(a) cond 0) CHECKED_JUMP(ip->k); NEXT(); }

VM_LOOP_ATTRS static int execute(Vm *vm)
{
	Ins *code = vm->prog.code, *ip = code;
	u64 *r = vm->r;
	u8 *stack = vm->heap.blocks.v[RVM_STACK_SLOT].data;
	Heap *heap = &vm->heap;
	int status = 0;
#ifdef RVM_SWITCH_DISPATCH
dispatch:
	switch (ip->handler) {
#else
	static const void *const handlers[RVM_NHANDLERS] = {
#define X(id, mn, ops, ends) [2 * RVM_##id] = &&G_##id, [2 * RVM_##id + 1] = &&F_##id,
		RVM_OPS(X)
#undef X
		[RVM_H_END] = &&H_END,
	};
	for (u32 i = 0; i <= vm->prog.n; i++)
		code[i].h = handlers[code[i].handler];
	DISPATCH();
	{ /* the handlers, as a block like the switch's */
#endif
	FAST(LDI) { R(a) = ip->k; NEXT(); }
	GENERAL(LDI) { PUT(a, ip->k); NEXT(); }
	FAST(CPY) { R(a) = R(b); NEXT(); }
	GENERAL(CPY) { PUT(a, GET(b)); NEXT(); }
	BOTH(CPY_TO_PC) { CHECKED_JUMP(GET(a)); }
	BOTH(CPY_FROM_PC) { PUT(a, NEXT_INDEX()); NEXT(); }

	FAST(LOAD) {
		u8 *m;
		ACCESS(m, R(c), R(b), "load");
		R(a) = load64(m) & bytes_mask(R(b));
		NEXT();
	}
	GENERAL(LOAD) {
		u8 *m;
		ACCESS(m, GET(c), GET(b), "load");
		PUT(a, load64(m) & bytes_mask(GET(b)));
		NEXT();
	}
	FAST(STORE) { u8 *m; ACCESS(m, R(a), R(b), "store"); store_bytes(m, R(b), R(c)); NEXT(); }
	GENERAL(STORE) {
		u8 *m;
		ACCESS(m, GET(a), GET(b), "store");
		store_bytes(m, GET(b), GET(c));
		NEXT();
	}

	INT_OP(ADD, x + y)
	INT_OP(SUB, x - y)
	INT_OP(MULT, x * y)
	DIV_OP(DIV, sdiv)
	DIV_OP(MOD, smod)
	INT_OP(AND, x & y)
	INT_OP(OR, x | y)
	INT_OP(XOR, x ^ y)
	FLOAT_OP(FADD, x + y)
	FLOAT_OP(FSUB, x - y)
	FLOAT_OP(FMULT, x * y)
	FLOAT_OP(FDIV, x / y)
	FLOAT_OP(FMOD, fmod(x, y))
	FAST(ITOF) { R(a) = f64_bits((double)(i64)R(b)); NEXT(); }
	GENERAL(ITOF) { PUT(a, int_to_float_bits(GET(b), ip->wa)); NEXT(); }
	FAST(FTOI) { R(a) = float_to_int(f64(R(b))); NEXT(); }
	GENERAL(FTOI) { PUT(a, float_to_int(get_float(R(b), ip->wb))); NEXT(); }

	/* neg and not work at the width of their source operand. */
	FAST(NEG) { R(a) = R(b) ^ (1ull << 63); NEXT(); }
	GENERAL(NEG) { PUT(a, GET(b) ^ msb(ip->wb)); NEXT(); }
	FAST(NOT) { R(a) = ~R(b); NEXT(); }
	GENERAL(NOT) { PUT(a, GET(b) ^ view_mask[ip->wb]); NEXT(); }

	/* dest, count, source: x is the count, y the value shifted. */
	INT_OP(SHL, shift_left(y, x))
	INT_OP(SHR, shift_right(y, x))
	FAST(ROTL) { R(a) = rotate_left(R(c), R(b), W8); NEXT(); }
	GENERAL(ROTL) { PUT(a, rotate_left(GET(c), GET(b), ip->wc)); NEXT(); }
	FAST(ROTR) { R(a) = rotate_right(R(c), R(b), W8); NEXT(); }
	GENERAL(ROTR) { PUT(a, rotate_right(GET(c), GET(b), ip->wc)); NEXT(); }
	FAST(INC) { R(a)++; NEXT(); }
	GENERAL(INC) { PUT(a, GET(a) + 1); NEXT(); }
	FAST(DEC) { R(a)--; NEXT(); }
	GENERAL(DEC) { PUT(a, GET(a) - 1); NEXT(); }

	FAST(JMP) { JUMP(ip->k); }
	GENERAL(JMP) { CHECKED_JUMP(ip->k); }
	COND_JUMP(JIFZ, ==)
	COND_JUMP(JIFNZ, !=)
	BOTH(HALTEXE) { status = (int)(r[1] & 0xff); goto out; }

	BOTH(PUSH) { PUSH8(GET(a)); NEXT(); }
	BOTH(PUSH_PC) { PUSH8(NEXT_INDEX()); NEXT(); }
	BOTH(POP) { u64 v; POP8(v); PUT(a, v); NEXT(); }
	BOTH(POP_PC) { u64 t; POP8(t); CHECKED_JUMP(t); }
	/* call pushes fp, then the return address; ret pops both. */
	FAST(CALL) { PUSH_FRAME(); JUMP(ip->k); }
	GENERAL(CALL) { PUSH_FRAME(); CHECKED_JUMP(ip->k); }
	BOTH(RET) {
		u8 *m = stack_pop(vm, stack, 16);
		if (UNLIKELY(!m))
			FAIL(stack_error(vm, ip, false, 16));
		r[RVM_FP] = load64(m + 8);
		CHECKED_JUMP(load64(m));
	}

	BOTH(MALLOC) {
		u64 p, size = GET(b);
		HeapStatus s = heap_malloc(heap, size, &p);
		if (UNLIKELY(s != HEAP_OK))
			FAIL(heap_error(vm, ip, "malloc", 0, size, s));
		PUT(a, p);
		NEXT();
	}
	BOTH(REALLOC) {
		u64 p, size = GET(c);
		HeapStatus s = heap_realloc(heap, GET(b), size, &p);
		if (UNLIKELY(s != HEAP_OK))
			FAIL(heap_error(vm, ip, "realloc", GET(b), size, s));
		PUT(a, p);
		NEXT();
	}
	BOTH(FREE) {
		HeapStatus s = GET(a) ? heap_free(heap, GET(a)) : HEAP_OK; /* free of 0 does nothing */
		if (UNLIKELY(s != HEAP_OK))
			FAIL(heap_error(vm, ip, "free", GET(a), 0, s));
		NEXT();
	}
	/* memcpy and memset: dest, n, source */
	BOTH(MEMCPY) {
		u64 n = GET(b);
		u8 *d = heap_range(heap, GET(a), n), *s = heap_range(heap, GET(c), n);
		if (UNLIKELY(!d))
			FAIL(access_error(vm, ip, "memcpy destination", GET(a), n));
		if (UNLIKELY(!s))
			FAIL(access_error(vm, ip, "memcpy source", GET(c), n));
		memmove(d, s, n);
		NEXT();
	}
	BOTH(MEMSET) {
		u64 n = GET(b);
		u8 *d = heap_range(heap, GET(a), n);
		if (UNLIKELY(!d))
			FAIL(access_error(vm, ip, "memset", GET(a), n));
		memset(d, (int)(GET(c) & 0xff), n);
		NEXT();
	}
	END_LABEL { FAIL(runtime_error(vm, ip, "execution ran past the last instruction")); }
	}
out:
	return status;
}

#undef R
#undef GET
#undef PUT

static void print_registers(const Vm *vm)
{
	for (u32 i = 0; i < RVM_NGENERAL; i++)
		if (vm->r[i])
			fprintf(stderr, "r%u = %lld\n", i, (long long)vm->r[i]);
}

int rvm_run(const u8 *image, size_t n, SrcFile *src, const char *path, const IsaOpts *o)
{
	(void)src; /* runtime errors name the path and lines the image carries */
	Vm *vm = xcalloc(1, sizeof(Vm));
	if (!rvm_load(image, n, path, &vm->prog)) {
		free(vm);
		return 1;
	}
	heap_init(&vm->heap);
	vm->r[RVM_FP] = vm->r[RVM_SP] = make_ptr(RVM_STACK_ID, RVM_STACK_SIZE);
	int status = execute(vm);
	if (o->regs)
		print_registers(vm);
	heap_destroy(&vm->heap);
	free(vm->prog.code);
	free(vm);
	return status;
}
