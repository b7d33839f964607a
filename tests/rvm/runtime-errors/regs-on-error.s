# --regs prints the registers after a runtime error too.
# runtime-error: 7: division by zero
# regs: r1 = 1
# regs: r2 = 2
	ldi r1, $1
	ldi r2, $2
	div r3, r2, r0
	haltexe
