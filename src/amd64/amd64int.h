/* amd64int.h - declarations shared by the files of the amd64 target. */
#ifndef AMD64INT_H
#define AMD64INT_H

typedef struct Form {
	u16 op;     /* Tag of the mnemonic */
	u8 cls[3];  /* enum OpClass */
	u8 enc;     /* enum Enc */
	u8 ext;     /* ModRM.reg digit */
	u32 opc, opc2;
	u32 flags;  /* F_* */
	u32 uses, defs;
} Form;

extern const Form amd64_forms[];
extern const u32 amd64_nforms;

/* What the checker asks of a mnemonic for every instruction, from its first
 * form in AMD64_OPS: its flags (F_*, TR(...), FX(...)) and whether it
 * branches (takes a label or a proc).  One load from a small table, where
 * the forms took two dependent ones from a larger one. */
typedef struct OpInfo {
	u32 flags;
	bool branch;
} OpInfo;

extern const OpInfo amd64_ops[];
static inline const OpInfo *amd64_op(u32 op) { return &amd64_ops[op - TAG_FIRST_OP]; }

typedef enum MatchFail { MF_NOFORM, MF_HIGH_REX } MatchFail;

/* The forms of mnemonic op: returns the first, *end is past the last. */
extern u16 amd64_first_form[];
extern bool amd64_form_index_ready;
void amd64_init_form_index(void);
static inline u32 amd64_forms_of(u32 op, u32 *end)
{
	if (UNLIKELY(!amd64_form_index_ready)) /* called per instruction: inline */
		amd64_init_form_index();
	*end = amd64_first_form[op - TAG_FIRST_OP + 1];
	return amd64_first_form[op - TAG_FIRST_OP];
}
/* Finds the first form of op that takes these operands; an unsized memory
 * operand gets the size the form gives it. */
u32 amd64_match(u32 op, Opnd *o, u32 n, MatchFail *why);
/* Frees amd64_match's memo. */
void amd64_match_release(void);
/* After a failed match: writes why into msg and returns the index of the
 * operand at fault, or NONE when the instruction as a whole is. */
u32 amd64_explain(u32 op, const char *mnemonic, const Opnd *o, u32 n, MatchFail why, Buf *msg);
/* Whether the lock prefix is valid on form f with these operands. */
bool amd64_lockable(const Form *f, const Opnd *o, u32 n);
bool imm_fits(i64 v, u32 bytes);

/* Queries on the class and form tables (match.c). */
typedef struct ClassInfo {
	u8 width, reg, flags; /* AMD64_CLASSES columns */
	const char *desc;
} ClassInfo;

extern const ClassInfo amd64_classes[];
static inline const ClassInfo *amd64_class(u8 cls) { return &amd64_classes[cls]; }
static inline bool amd64_is_implicit(u8 cls) { return amd64_classes[cls].flags & CF_IMPLICIT; }
static inline bool amd64_is_imm_class(u8 c) /* I1 included */
{
	return c == C_Ib || c == C_Iw || c == C_Is8 || c == C_Iz || c == C_Iv || c == C_I1;
}
bool amd64_class_takes(u8 cls, const Opnd *o, u32 osz);
bool amd64_class_takes_kind(u8 cls, const Opnd *o);
bool amd64_form_takes(const Form *f, const Opnd *o, u32 n, u32 osz);
u32 amd64_osz(const Form *f, const Opnd *o, u32 n);
/* The REX prefix form f needs for these operands, 0 for none (encode.c). */
u8 amd64_rex(const Form *f, const Opnd *o, u32 n, u32 osz);

static inline u8 sib_scale(u8 scale)
{
	return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}

/* The chunk encoder (relax.c) collects bytes, fixups and jumps of one proc. */
typedef struct Encoder Encoder;
void encoder_fixup(Encoder *e, Fixup fx);
void encoder_jump(Encoder *e, const Ins *ins, u32 label, u32 short_size, u32 near_size, u32 at);

void amd64_emit(Encoder *e, Buf *b, const Ins *ins);
void amd64_emit_release(void); /* frees the encoder's per-form table */
void amd64_branch(Encoder *e, Buf *b, const Ins *ins);
void amd64_put_branch(Buf *out, const Form *f, bool near, i32 disp);

u32 amd64_encode(Program *p, InsVec *code, u32 global, u32 file);
void amd64_encoder_free(void);

#endif
