/* nifasm.h - shared types of the nifasm pipeline.
 *
 *   reader.c  NIF bytes -> Tree (compact preorder node array)
 *   check.c   Tree -> MIR with structured pseudo-ops; types, bindings,
 *             calls, clobbers, control flow (types.c: type table, layout)
 *   lower.c   structured MIR -> flat MIR with labels and jumps
 *   amd64/    MIR -> x86-64 bytes, jump relaxation
 *   link.c    layout, fixups, dead-proc elimination; elf.c writes the file
 *   main.c    driver; dump.c prints the state after each stage (-d)
 */
#ifndef NIFASM_H
#define NIFASM_H

#include "all.h"
#include "amd64/amd64.h"

/* ---- tags ------------------------------------------------------------------
 * Every NIF tag nifasm knows is interned first, in this order, so that a
 * tag's name id is its Tag value.  Keywords, then registers, conditions
 * and mnemonics from the target lists.
 */
#define NIFASM_KEYWORDS(_)                                                      \
	_(stmts) _(proc) _(params) _(param) _(result) _(clobber) _(body)        \
	_(type) _(object) _(union) _(fld) _(packed) _(array) _(ptr) _(aptr)     \
	_(bool) _(i) _(u) _(f) _(var) _(kill) _(s) _(ssize) _(ite) _(loop)      \
	_(cfvar) _(jtrue) _(lab) _(mem) _(dot) _(at) _(cast) _(rodata) _(gvar)  \
	_(tvar) _(lock) _(pragmas) _(cons)

typedef enum Tag {
#define KW(x) TAG_##x,
	NIFASM_KEYWORDS(KW)
#undef KW
#define REG(name, fam, bytes, hi) TAG_##name,
	AMD64_REGS(REG)
#undef REG
#define COND(name, code) TAG_c_##name,
	AMD64_CONDS(COND)
#undef COND
#define OP(name, ...) TAG_##name,
#define ALT(...)
	AMD64_OPS
#undef OP
#undef ALT
	TAG__COUNT,
	TAG_UNKNOWN = 0xffff
} Tag;

#define TAG_FIRST_REG TAG_rax
#define TAG_FIRST_COND TAG_c_zf
#define TAG_FIRST_OP TAG_mov
#define IS_REG_TAG(t) ((t) >= TAG_FIRST_REG && (t) < TAG_FIRST_COND)
#define IS_COND_TAG(t) ((t) >= TAG_FIRST_COND && (t) < TAG_FIRST_OP)
#define IS_OP_TAG(t) ((t) >= TAG_FIRST_OP && (t) < TAG__COUNT)

/* Seeds an interner with every tag name; afterwards name id == Tag. */
void tags_intern(Interner *in);

/* ---- NIF tree ----------------------------------------------------------------
 * A node is 16 bytes; a tree is its nodes in preorder, each compound node
 * followed by its children.  `span` counts the nodes of a subtree, so the
 * next sibling of node n is n + span.
 */
typedef enum NodeKind {
	N_EMPTY, N_IDENT, N_SYM, N_SYMDEF, N_INT, N_UINT, N_FLOAT, N_CHAR, N_STR, N_TREE
} NodeKind;

enum {
	NF_BIG = 1,  /* N_INT/N_UINT/N_FLOAT: val indexes Tree.nums */
	NF_INFO = 2, /* carries NIF line information (see Tree.infos) */
};

typedef struct Node {
	u8 kind;
	u8 flags;
	u16 tag;  /* N_TREE: Tag or TAG_UNKNOWN */
	u32 span; /* nodes in this subtree, itself included */
	u32 pos;  /* byte offset of the node's first character */
	u32 val;  /* see node_* accessors */
} Node;

/* NIF line information of a node, made absolute while reading. */
typedef struct LineInfo {
	u32 node;
	u32 file; /* name id of the file name, or NONE */
	i32 line, col;
} LineInfo;

typedef struct Tree {
	VEC(Node) nodes;
	VEC(u64) nums;       /* big integers and floats (bit patterns) */
	VEC(LineInfo) infos; /* in node order */
} Tree;

void tree_clear(Tree *t);
void tree_free(Tree *t);
i64 node_int(const Tree *t, u32 n);   /* N_INT, N_UINT (as bits), N_CHAR */
double node_float(const Tree *t, u32 n);
static inline u32 node_next(const Tree *t, u32 n) { return n + t->nodes.v[n].span; }
static inline u32 node_end(const Tree *t, u32 n) { return n + t->nodes.v[n].span; }
u32 node_kid(const Tree *t, u32 n, u32 k); /* NONE when absent */
/* Decodes a string literal's bytes (escapes resolved) into out. */
void node_string(const Tree *t, const char *src, u32 n, Buf *out);
Origin node_origin(const Tree *t, const Interner *in, u32 n);

/* ---- reader ------------------------------------------------------------------ */

typedef struct InfoFrame {
	i32 line;
	u32 file; /* between line and col: compilers then do not load the two
		   * as one word right after storing them one by one, a load
		   * that waits for the stores to reach the cache */
	i32 col;
} InfoFrame;

typedef struct OpenList {
	u32 node; /* NONE for a list opened by read_open */
	u32 pos;  /* byte offset of its '(' */
	u32 outer_info; /* Reader.info.n before it opened, restored when it closes */
} OpenList;

typedef struct NameMemo NameMemo; /* reader.c */

typedef struct Reader {
	SrcFile *file;
	const char *cur;
	Interner *names;
	Tree *tree;
	u32 module; /* name id of the module, for "foo.0." symbols */
	bool failed;
	VEC(InfoFrame) info; /* line information of the open nodes */
	VEC(OpenList) open;  /* open compound nodes */
	InfoFrame pending;   /* line information read before the next node */
	NameMemo *memo;      /* direct-mapped memo of the interner (reader.c) */
} Reader;

void reader_init(Reader *r, SrcFile *f, Interner *in, Tree *t, u32 module);
/* Starts reading at byte `pos`, inside a list whose line information is `info`. */
void reader_init_at(Reader *r, SrcFile *f, Interner *in, Tree *t, u32 module, u32 pos,
		    InfoFrame info);
/* reader_init_at again, keeping the vectors of a reader already used. */
void reader_restart_at(Reader *r, SrcFile *f, u32 module, u32 pos, InfoFrame info);
/* The line information of the innermost open node. */
InfoFrame reader_info(const Reader *r);
void reader_free(Reader *r);
/* Appends the next complete node to the tree; NONE at the end of the
 * enclosing list or after a syntax error (reported; r->failed is set). */
u32 read_node(Reader *r);
/* Streaming: opens the next compound node, appending only its head.  The
 * children are read with read_node until it returns NONE, then read_close.
 * Returns the head's node index or NONE. */
u32 read_open(Reader *r);
bool read_close(Reader *r);
/* Skips the next node without keeping it; false at the list's end. */
bool read_skip(Reader *r);
/* Skips the rest of the open list up to its ')' without building nodes or
 * interning names; only irregular text goes through the full reader. */
void read_skip_rest(Reader *r);
/* The tag of the next node without reading it: a Tag, TAG_UNKNOWN,
 * TAG_NOT_TREE for an atom, or NONE at the end of the list. */
u32 read_peek_tag(Reader *r);
enum { TAG_NOT_TREE = 0xfffe };
/* Where the next node starts, its line information included (after
 * whitespace and comments): reader_init_at there reads it again whole. */
u32 read_node_start(Reader *r);
/* True when only whitespace, comments and directives remain. */
bool read_at_eof(Reader *r);
/* The module a file defines: its file name without directory and ".nif". */
u32 module_name(Interner *in, const char *path);

/* ---- types ---------------------------------------------------------------------- */

typedef enum TypeKind {
	TY_RAW,   /* a raw register or untyped memory of `size` bytes */
	TY_BOOL, TY_INT, TY_UINT, TY_FLOAT,
	TY_PTR, TY_APTR, TY_ARRAY, TY_OBJECT, TY_UNION, TY_PROC,
} TypeKind;

typedef struct Field {
	u32 name, type;
	u32 offset;
	u32 pos;
} Field;

enum { LAYOUT_NONE, LAYOUT_BUSY, LAYOUT_DONE };

/* A type, like a displacement, spans less than 2 GiB.  Layout computes in
 * 64 bits and saturates a larger size or field offset at TYPE_TOO_BIG, so
 * nothing wraps; the checker reports a type whose size reached it. */
#define TYPE_SIZE_MAX 0x7fffffffu
#define TYPE_TOO_BIG 0x80000000u

typedef struct Type {
	u8 kind;
	u8 packed;
	u8 layout;         /* LAYOUT_*: sizes of named types are computed lazily */
	u32 size, align;
	u32 elem;          /* PTR, APTR, ARRAY: element type */
	u64 count;         /* ARRAY: element count */
	u32 first, nfields; /* OBJECT/UNION: range in Types.fields; PROC: signature */
	u32 name;          /* named types: name id, else NONE */
	u32 file, pos;     /* named types: where declared (for cycle errors) */
} Type;

/* A field's name in its object or union, for lookups by name. */
typedef struct FieldSlot {
	u32 type, name;
	u32 field; /* its index in Types.fields; NONE while the fields are read */
} FieldSlot;

typedef struct Types {
	VEC(Type) v;
	VEC(Field) fields;
	u32 *slots; /* structural hash-consing (open addressing) */
	u32 mask;
	FieldSlot *fslots; /* fields by (type, name) (open addressing) */
	u32 fmask, fcount;
	U32Vec walk; /* type_layout's stack */
} Types;

/* Predefined type ids. */
enum { T_RAW1, T_RAW2, T_RAW4, T_RAW8, T_RAW16, T_BOOL, T__PREDEF };

void types_init(Types *ts);
void types_free(Types *ts);
u32 type_raw(u32 bytes);
u32 type_scalar(Types *ts, TypeKind k, u32 bits);
u32 type_ptr(Types *ts, TypeKind k, u32 elem);
u32 type_array(Types *ts, u32 elem, u64 count);
/* The anonymous type of a proc with signature `sig` (a code address). */
u32 type_proc(Types *ts, u32 sig);
/* A named type whose body is filled in later (objects may refer to it). */
u32 type_named(Types *ts, u32 name, u32 file, u32 pos);
/* Computes sizes, alignments and field offsets; false on a type that
 * contains itself (reported through `cycle`, the type id found twice). */
bool type_layout(Types *ts, u32 ty, u32 *cycle);
static inline bool type_too_big(const Types *ts, u32 ty) { return ts->v.v[ty].size > TYPE_SIZE_MAX; }
static inline const Type *type_get(const Types *ts, u32 ty) { return &ts->v.v[ty]; }
/* The field named `name` of an object or union, or NULL. */
const Field *type_field(const Types *ts, u32 ty, u32 name);
bool type_field_new(Types *ts, u32 ty, u32 name);
void type_set_fields(Types *ts, u32 ty, const Field *f, u32 n);
bool type_is_int(const Types *ts, u32 ty);   /* (i N), (u N) */
bool type_is_scalar(const Types *ts, u32 ty); /* fits a register: ints, bool, floats, pointers */
/* ptr, aptr, proc: addresses, whose only constant is +0 */
static inline bool type_is_address(const Types *ts, u32 ty)
{
	u8 k = type_get(ts, ty)->kind;
	return k == TY_PTR || k == TY_APTR || k == TY_PROC;
}
const char *type_str(const Types *ts, const Interner *in, u32 ty, Buf *b);

/* ---- MIR: machine instructions with resolved operands -------------------------- */

typedef enum OpndKind { OK_NONE, OK_REG, OK_IMM, OK_MEM, OK_LABEL, OK_GLOBAL } OpndKind;

/* 20 bytes, aligned to 4 (imm is read unaligned, which x86 does at full
 * speed), so an Ins is 72 bytes instead of 88: a proc's code is written
 * by the checker and read again by lowering and the encoder, and at 10^5
 * the smaller instructions had 13% fewer first-level data cache misses
 * (cachegrind). */
typedef struct __attribute__((packed, aligned(4))) Opnd {
	u8 kind;
	u8 size;  /* bytes; 0 when the instruction decides */
	u8 reg;   /* OK_REG: family */
	u8 hi;    /* OK_REG: ah/bh/ch/dh */
	u8 base;  /* OK_MEM: base family, NOREG or RIPREG */
	u8 index; /* OK_MEM: index family or NOREG */
	u8 scale; /* OK_MEM: 1, 2, 4, 8 */
	u8 flags;
	u32 sym;  /* OK_MEM/RIPREG, OF_TPOFF and OK_GLOBAL: global; OK_LABEL: label */
	i64 imm;  /* OK_IMM: value; OK_MEM: displacement */
} Opnd;

enum {
	OF_SSIZE = 1, /* OK_IMM, stack OK_MEM: the frame size, added when known */
	OF_FS = 2,    /* OK_MEM: fs-relative (the thread pointer is the segment base) */
	OF_TPOFF = 4, /* OK_MEM: the displacement is the thread-pointer offset of the
		       * tvar `sym` plus imm, a disp32 the linker patches; a tvar's
		       * memory is OF_FS | OF_TPOFF with no base register */
};

/* Pseudo-ops live above the mnemonics.  The checker leaves structured
 * control flow as P_ITE..P_JTRUE; lowering turns them into P_LABEL and
 * jumps, in place: each structured op is followed by the P_NOP slots its
 * lowering may need (lower_slots), and what lowering leaves empty or
 * removes is P_NOP too, which the encoder and the dumps skip.  Labels are
 * numbers local to a unit (o[k].sym).  A condition (o[0].imm) is a
 * condition code 0-15, or COND_CF_FALSE / COND_CF_TRUE when a cfvar is
 * tested and its value where control falls in is known. */
enum {
	P_NOP = TAG__COUNT, /* an empty slot */
	P_LABEL,    /* o[0]: the label */
	P_ITE,      /* o[0]: condition, o[1]: then label (cfvar) or NONE, o[2]: else label */
	P_ELSE,     /* o[0]: end label, o[1]: else label, o[2].imm: the then-branch falls through */
	P_ENDITE,   /* o[0]: end label */
	P_LOOP,     /* o[0]: head label */
	P_LOOPTEST, /* o[0]: condition, o[1]: body label, o[2]: exit label */
	P_LOOPEND,  /* o[0]: head label, o[1]: exit label, o[2].imm: the body falls through */
	P_JTRUE,    /* o[0]: the then label of the cfvar's ite */
	P__COUNT
};

enum { COND_CF_FALSE = -1, COND_CF_TRUE = -2 };

enum {
	IF_LOCK = 1,  /* the lock prefix */
	IF_SYNTH = 2, /* a jump lowering made; only these are rewritten */
};

typedef struct Ins {
	u16 op;   /* Tag of the mnemonic, or P_* */
	u16 form; /* encoding form chosen by the checker */
	u8 nopnd;
	u8 flags;
	u32 pos;  /* source byte offset */
	Opnd o[3];
} Ins;

typedef VEC(Ins) InsVec;

/* ---- program: globals, code, data, fixups --------------------------------------- */

/* G_TCB is made by the linker when a tvar is reachable: the initial
 * thread's thread control block (addr), whose chunk sets fs to it. */
typedef enum GlobalKind { G_NONE, G_PROC, G_RODATA, G_GVAR, G_TVAR, G_TYPE, G_ENTRY, G_TCB } GlobalKind;

typedef struct Global {
	u8 kind;
	bool defined;
	bool reachable;
	u32 name;
	u32 file, pos; /* where its name is defined (or first used) */
	u32 decl;      /* its declaration in Program.decls, or NONE */
	u32 type;      /* data and type decls: type id; procs: signature */
	u32 chunk;     /* procs: code chunk; data: offset in its pool, NONE = bss */
	u32 size;
	u32 align;
	u64 addr;      /* set by the linker; a tvar's is its offset in the TLS template */
} Global;

/* A top-level declaration, found by the first pass and read again later. */
typedef struct Decl {
	u32 file, pos;  /* where its node starts */
	u16 tag;
	u32 global;
	InfoFrame info; /* line information of the enclosing (stmts ...) */
} Decl;

/* A proc's parameter or result. */
typedef struct Param {
	u32 name;
	u32 type;
	u8 reg;         /* family, or NOREG for a stack parameter */
	u8 size;        /* width of the register view */
	u32 offset;     /* stack parameters: bytes above [rsp+8] at entry */
	u32 pos;
} Param;

typedef struct Sig {
	u32 first;      /* params, then results, in Program.params */
	u32 nparams, nresults;
	u32 clobbers;   /* family mask the callee may change besides its results */
	u32 stack_bytes;
	u32 pos;
} Sig;

/* A 32-bit reference from a code chunk to a global, patched by the linker:
 *   FIX_REL32  value = addr(global) + addend - (chunk address + off)
 *   FIX_TPOFF  value = tpoff(tvar) + addend, the tvar's offset from the
 *              thread pointer (negative) */
enum { FIX_REL32, FIX_TPOFF };

typedef struct Fixup {
	u32 off;
	u32 global : 31; /* a bit for the kind keeps a Fixup at 16 bytes */
	u32 kind : 1;    /* FIX_* */
	i32 addend;
	u32 pos; /* the referring instruction's source offset, for reach errors */
} Fixup;

typedef struct Chunk {
	u32 global;         /* owning proc, or the entry */
	u32 file;
	u32 code_off, size; /* in Program.text */
	u32 fix_first, nfix;
	u64 addr;
} Chunk;

/* One listing line: an instruction's bytes and where it came from (in
 * the chunk's file). */
typedef struct ListEntry {
	u32 chunk, off, len;
	u32 pos;
} ListEntry;

/* The linked program: final section contents, addresses and file offsets. */
/* The TLS template of the tvars (PT_TLS): initialised ones, then zeroed
 * ones.  The initial thread's block is a copy of it at data + tls_off,
 * followed by its TCB; the thread pointer is the TCB's address, so a tvar
 * lies at fs:(its offset - tls_block). */
typedef struct TlsLayout {
	bool used;        /* a reachable tvar exists */
	u64 off;          /* the block's offset in Image.data */
	u64 filesz, memsz;
	u32 align;
	u64 block;        /* memsz aligned to align: the TCB's offset from the block */
	u32 tcb;          /* the G_TCB global */
} TlsLayout;

/* A tvar's offset from the thread pointer (fs:0, the TCB after the
 * block): negative, variant II; addr is its offset in the template. */
static inline i64 tls_tpoff(const TlsLayout *tls, u64 addr) { return (i64)addr - (i64)tls->block; }

typedef struct Image {
	Buf text, rodata, data;
	u64 text_addr, rodata_addr, data_addr, bss_addr;
	u64 text_off, rodata_off, data_off;
	u64 bss_size;
	u64 entry;
	u32 aligns[3]; /* rodata, data, bss: the largest alignment in each */
	TlsLayout tls;
} Image;


typedef struct Program {
	Interner names;
	Types types;
	VEC(SrcFile *) files;  /* pointers: a module found later may be loaded mid-pass */
	U32Vec modules;        /* per file: its module's name id (module_name), found once */
	VEC(bool) module_tried; /* by name: a module nifasm looked for beside the first file */
	u32 given_files;       /* files named on the command line come first */
	VEC(Decl) decls;
	VEC(Param) params;
	VEC(Sig) sigs;
	VEC(Global) globals;
	VEC(u32) global_of_name; /* name id -> global index or NONE */
	VEC(Chunk) chunks;
	VEC(Fixup) fixups;
	Buf text, rodata, data;
	Buf tdata;   /* initial values of tvars */
	u32 entry; /* global of the entry code or NONE */
	u32 module_pos; /* where the first file's (stmts ...) starts */
	Image img;
	bool listing;
	VEC(ListEntry) list;
	u32 dump; /* DUMP_* */
	u32 jobs; /* -j: processes that check a file's procs; 0 decides by size */
	bool in_worker; /* this process is a worker of jobs.c */
	u32 type_depth; /* types being parsed inside one another, across declarations (NEST_MAX) */
	u32 processes;  /* the most processes a file was checked with (--time) */
	u32 ranges, worker_ranges; /* ranges of procs with workers, those they checked (--time) */
	VEC(int) workers; /* pids of joined workers, whose exits jobs_reap waits for */
	U32Vec last_code; /* per file: where its last top-level node that is not a
			   * declaration starts, or 0; workers start after it */
} Program;

static inline u32 file_module(const Program *p, u32 file) { return p->modules.v[file]; }

enum { DUMP_TREE = 1, DUMP_CHECK = 2, DUMP_LOWER = 4, DUMP_CODE = 8, DUMP_LINK = 16 };

/* Globals are found by key: a global symbol (foo.0.m) is its own key, a
 * private one (foo.0) is qualified by its file, so two files may both
 * have a foo.0.  global_key only finds a key (NONE when no definition
 * made it), for global_lookup. */
u32 global_key(Program *p, u32 name, u32 file);
bool is_global_name(const Program *p, u32 name);
u32 global_lookup(Program *p, u32 key);
u32 global_get(Program *p, u32 key, u32 name, u32 file, u32 pos);
/* The global `name` means in `file`; a global symbol of a module no file
 * defines makes nifasm read m.nif beside the first file. */
u32 global_find(Program *p, u32 name, u32 file);

/* ---- target ----------------------------------------------------------------------
 * The machine nifasm assembles for; filled with designated initializers in
 * the target's folder (amd64/targ.c).
 */
typedef struct Target {
	const char *name;
	u16 elf_machine;
	u64 base_addr;
	u32 page;
	/* Encodes one proc's lowered MIR into p->text as a new chunk. */
	u32 (*encode)(Program *p, InsVec *code, u32 global, u32 file);
	/* Name of a register family at a width, for dumps and messages. */
	const char *(*reg_name)(u32 family, u32 bytes, bool hi);
	/* Emits the entry stub that calls `main` and exits with its result. */
	u32 (*start_stub)(Program *p, u32 main_global, int result_family);
	/* Emits the code run before the entry when tvars exist: sets the
	 * thread pointer to the TCB global `tcb`. */
	u32 (*tls_setup)(Program *p, u32 tcb);
	/* Frees the target's scratch memory. */
	void (*release)(void);
	/* The form of a jump to a label: cc -1 is jmp, 0-15 a jcc. */
	u16 (*jump_form)(int cc);
	/* The mnemonic of the jcc for condition cc, and back (-1: not a jcc). */
	u32 (*jump_tag)(int cc);
	int (*jump_cc)(u32 op);
} Target;

extern const Target T_amd64;

/* ---- stages -------------------------------------------------------------------------- */

/* Reads a source file into the program; NONE (reported) when it cannot. */
u32 prog_add_file(Program *p, const char *path);
/* The register family of a proc's first result, or -1. */
int proc_result_family(const Program *p, u32 global);
/* Pass 1 over a file: finds its declarations and registers their names. */
bool scan_declarations(Program *p, u32 file);
/* Reads every declaration found: types and their layouts, data, proc
 * signatures.  After this, code may refer to any global. */
bool resolve_declarations(Program *p);
/* Pass 2: checks, lowers and encodes its procs and top-level code. */
bool check_code(Program *p, u32 file, const Target *t, bool is_entry_file);
/* Lowers a unit's MIR in place (see P_NOP): the structured ops at the
 * indices `structured` lists, in order.  lower_slots is how many slots a
 * structured op takes, itself included. */
void lower(InsVec *code, const U32Vec *structured, const Target *t);
u32 lower_slots(u16 op);

/* ---- nesting ----------------------------------------------------------------------
 * The checker recurses over nested statements, operands, types and
 * initial values, so nesting costs stack: up to about 1.8 KB a level (a
 * loop, in clang's AddressSanitizer build; 1.2 KB in the release build).
 * Each kind may nest NEST_MAX levels, an error past that; input at all
 * the limits at once takes 27 MB there (15 MB in the release build), under
 * half of the STACK_BYTES that main() makes sure of (docs/nifasm.md,
 * Nesting limits).  A switch
 * that a compiler lowers to an else-if chain nests one level a case, so
 * the limit is not small. */
enum { NEST_MAX = 10000 };
#define STACK_BYTES (64u << 20)

/* ---- jobs.c: checking a file's procs in several processes -------------------------- */

enum { JOBS_MAX = 64 }; /* the most processes -j may ask for */

typedef struct Worker {
	int pid;   /* 0 when it did not start or was handed to jobs_end */
	int fd;    /* memfd receiving its results, one after another */
	int ready; /* pipe: a byte for each result written (see spawn) */
	bool gone; /* its pipe closed: it sends nothing more */
	bool unreadable; /* its memfd could not be mapped: the parent checks its ranges */
	void *map;  /* in the parent, the memfd mapped (jobs.c, result_at) */
	u64 mapped; /* the mapping's size */
} Worker;

struct Slot; /* jobs.c: a range's entry in the table the processes share */

/* A file's ranges and the processes that check them.  Range r holds the
 * top-level nodes that start in [starts[r], starts[r + 1]); the head,
 * before starts[0], is the parent's. */
typedef struct Jobs {
	U32Vec starts;
	struct Slot *slots; /* shared by every process; NULL: the parent checks all */
	VEC(Worker) workers;
	u32 me;     /* in a worker, its index; NONE in the parent */
	u32 cursor; /* in a worker, the range it took last and checks (it takes downwards) */
	u32 text0, chunk0, fix0; /* p->text.n, chunks.n, fixups.n at the fork */
} Jobs;

/* Where range r starts; NONE past the last. */
u32 jobs_start(const Jobs *j, u32 r);
/* Plans the ranges of `file` and forks the workers.  Returns NONE in the
 * parent, or in a worker its index. */
u32 jobs_fork(Program *p, u32 file, Jobs *j);
/* In a worker: starts capturing diagnostics. */
void worker_begin(Program *p, Jobs *j);
/* In a worker: takes the next range to check, from the back; NONE when
 * every range is taken. */
u32 worker_next(Jobs *j);
/* In a worker: sends the result of the range it took; `end` is where its
 * reader stopped, `failed` whether it met a syntax error. */
void worker_send(Program *p, u32 end, bool failed);
/* In a worker: gives its range back to the parent (it would load a module,
 * which changes the program for everyone after it) and ends. */
_Noreturn void worker_fallback(void);
_Noreturn void worker_exit(void);

/* In the parent: faults in the memory that merging the workers' results
 * for ranges from `from` on will fill (see jobs.c). */
void jobs_prepare(Program *p, Jobs *j, u32 from);
/* In the parent: takes range r, unless a worker has. */
bool jobs_take(Jobs *j, u32 r);

typedef enum { JOIN_DONE, JOIN_FALLBACK } JoinStatus;
typedef struct Joined {
	JoinStatus status;
	u32 end;
	bool failed;
} Joined;
/* In the parent: waits for the worker that took range r, prints its
 * diagnostics and adds its chunks to p.  A worker that ended without that
 * result (killed: by the OOM killer, say) gives the range back
 * (JOIN_FALLBACK), as one that would load a module. */
Joined jobs_join(Program *p, u32 file, Jobs *j, u32 r);
/* After a file's code pass: stops the workers if the reading ended early
 * (a syntax error), else leaves them to jobs_reap, so their exits overlap
 * with the work that follows. */
void jobs_end(Program *p, Jobs *j, bool complete);
/* Waits for the workers' exits.  Their results are in: how they end
 * changes nothing. */
void jobs_reap(Program *p);
bool link_program(Program *p, const Target *t);
bool write_elf(Program *p, const Target *t, const char *path);
/* The size of the ELF and program headers, which the text follows; the
 * program headers depend on which of img's sections have bytes. */
u64 elf_headers_size(const Image *img);

void dump_tree(const Tree *t, const Interner *in, const char *src, u32 root, Buf *out);
void dump_ins(const Program *p, const Ins *ins, Buf *out);
void dump_mir(const Program *p, const char *title, const InsVec *code);
void dump_listing(Program *p, Buf *out);
void dump_link(Program *p, Buf *out);

#endif
