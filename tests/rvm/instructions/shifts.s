# shl and shr take the count first: shl dest, count, source.  shr is
# logical; a count of 64 or more gives 0.
# regs: r1 = 1
# regs: r2 = 4
# regs: r3 = 16
# regs: r4 = 16
# regs: r5 = 256
# regs: r6 = 240
# regs: r7 = 31
# regs: r8 = -9223372036854775808
# regs: r10 = 63
# regs: r12 = 64
# regs: r13 = 15
# regs: r14 = -1
	ldi r1, $1
	ldi r2, $4
	shl r3, r2, r1
	ldi r5, $256
	shr r4, r2, r5
	ldi r7, $31
	shl r6b1, r2, r7          # 0x1f0 truncated to 0xf0
	ldi r10, $63
	shl r8, r10, r1
	ldi r12, $64
	shl r9, r12, r1           # 0
	ldi r11, $-1
	shr r11, r12, r11         # 0
	ldi r14, $-1
	shr r13, r2, r14b1        # 0xff >> 4
	ldi r1, $1
	haltexe
# exit: 1
