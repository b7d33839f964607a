# div and mod divide the (zero-extended) operands as signed 64-bit
# integers, truncating toward zero; mod takes the sign of the dividend.
# INT64_MIN / -1 wraps to INT64_MIN, and INT64_MIN mod -1 is 0.
# regs: r2 = 17
# regs: r3 = 5
# regs: r4 = 3
# regs: r5 = 2
# regs: r6 = -17
# regs: r7 = -3
# regs: r8 = -2
# regs: r9 = -5
# regs: r10 = -3
# regs: r11 = 2
# regs: r12 = -9223372036854775808
# regs: r13 = -1
# regs: r14 = -9223372036854775808
# regs: r16 = 127
# regs: r17 = 1
	ldi r2, $17
	ldi r3, $5
	div r4, r2, r3
	mod r5, r2, r3
	ldi r6, $-17
	div r7, r6, r3
	mod r8, r6, r3
	ldi r9, $-5
	div r10, r2, r9
	mod r11, r2, r9
	ldi r12, $-9223372036854775808
	ldi r13, $-1
	div r14, r12, r13
	mod r15, r12, r13
	ldi r18, $2
	div r16, r13b1, r18       # 255 / 2: a narrow view reads unsigned
	mod r17, r13b1, r18
	ldi r18, $0
	ldi r1, $0
	haltexe
