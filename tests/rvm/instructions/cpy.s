# cpy: whole registers and views; a narrow source is zero-extended, a
# narrow destination keeps its other bytes; fp and sp are registers too.
# regs: r2 = 1234605616436508552
# regs: r3 = -34936
# regs: r4 = 1432778632
# regs: r5 = 136
# regs: r6 = 1234605616436508552
	ldi r1, $x1122334455667788
	cpy r2, r1
	ldi r3, $-1
	cpy r3b2, r1
	cpy r4, r1b4
	cpy r5b1, r1b2
	cpy r9, fp
	cpy fp, r1
	cpy r6, fp
	cpy fp, r9
	sub r7, fp, sp        # fp and sp both start at the top of the stack
	ldi r1, $0
	ldi r9, $0
	haltexe
