# add, sub, mult wrap at 64 bits and truncate to the destination view;
# narrow sources are zero-extended.
# regs: r2 = 7
# regs: r3 = 5
# regs: r4 = 12
# regs: r5 = -2
# regs: r6 = 35
# regs: r7 = 9223372036854775807
# regs: r8 = -2
# regs: r9 = 456
# regs: r10 = 144
# regs: r11 = 400
# regs: r12 = -1
# regs: r13 = 254
	ldi r2, $7
	ldi r3, $5
	add r4, r2, r3
	sub r5, r3, r2
	mult r6, r2, r3
	ldi r7, $x7fffffffffffffff
	add r8, r7, r7
	ldi r9, $456
	add r10b1, r9, r9         # 912 = 0x390, truncated to 0x90
	add r11, r9b1, r9b1       # 0xc8 + 0xc8
	ldi r12, $-1
	sub r13b1, r3, r2        # -2 as one byte: 0xfe
	ldi r1, $0
	haltexe
