# call pushes fp, then the index of the instruction after it, and jumps;
# ret pops both back.  The callee sees them at sp and sp + 8.
# regs: r2 = 1
# regs: r3 = 2
# regs: r5 = 99
	ldi r2, $0
	call callee               # instruction 1: returns to 2
	ldi r3, $2
	ldi r5, $99
	sub r6, fp, r7            # fp is back to what it was
	jifnz r6, fail
	ldi r1, $0
	ldi r7, $0
	haltexe
fail:
	ldi r1, $1
	haltexe
callee:
	ldi r8, $8
	load r4, r8, sp           # the return address
	add r9, sp, r8
	load r7, r8, r9           # the caller's fp
	sub r6, r7, fp
	jifnz r6, fail
	cpy fp, sp                # a new frame; ret restores the old fp
	ldi r1, $2
	sub r6, r4, r1
	jifnz r6, fail
	inc r2
	ldi r4, $0
	ldi r8, $0
	ldi r9, $0
	ldi r1, $0
	ret
