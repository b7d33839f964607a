# and, or, xor on whole registers and on views.
# regs: r2 = 12
# regs: r3 = 10
# regs: r4 = 8
# regs: r5 = 14
# regs: r6 = 6
# regs: r7 = -1
# regs: r8 = 255
# regs: r9 = 65280
	ldi r2, $12
	ldi r3, $10
	and r4, r2, r3
	or r5, r2, r3
	xor r6, r2, r3
	ldi r7, $-1
	and r8, r7b1, r7          # a 1-byte view reads as 255
	xor r9, r7b2, r8          # 0xffff ^ 0xff
	ldi r1, $0
	haltexe
