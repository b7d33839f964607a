# push sp pushes the value sp had before the push; pop sp sets sp to the
# popped value (the pop's own increment is overwritten).
# regs: r5 = 8
# regs: r7 = 8
	cpy r2, sp
	push sp
	pop r3
	sub r4, r2, r3
	jifnz r4, fail
	ldi r5, $8
	sub r6, sp, r5
	push r6
	pop sp                    # sp = the old sp - 8
	sub r7, r2, sp
	ldi r2, $0
	ldi r3, $0
	ldi r6, $0
	haltexe
fail:
	ldi r1, $1
	haltexe
