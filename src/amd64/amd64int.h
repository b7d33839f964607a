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

typedef enum MatchFail { MF_NOFORM, MF_HIGH_REX } MatchFail;

u32 amd64_forms_of(u32 op, u32 *end);
/* Finds the first form of op that takes these operands; an unsized memory
 * operand gets the size the form gives it. */
u32 amd64_match(u32 op, Opnd *o, u32 n, MatchFail *why);
bool imm_fits(i64 v, u32 bytes);

static inline u8 sib_scale(u8 scale)
{
	return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}

/* The chunk encoder (relax.c) collects bytes, fixups and jumps of one proc. */
typedef struct Encoder Encoder;
void encoder_fixup(Encoder *e, Fixup fx);
void encoder_jump(Encoder *e, const Ins *ins, u32 label, u32 short_size, u32 near_size, u32 at);

void amd64_emit(Encoder *e, Buf *b, const Ins *ins);
void amd64_branch(Encoder *e, Buf *b, const Ins *ins);
void amd64_put_branch(Buf *out, const Form *f, bool near, i32 disp);

u32 amd64_encode(Program *p, InsVec *code, u32 global, u32 file);
void amd64_encoder_free(void);

#endif
