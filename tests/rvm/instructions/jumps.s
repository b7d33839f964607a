# jmp, jifz and jifnz to labels forward and backward, and to a numeric
# address; the condition may be a view (the seed's "if r1 == r2" idiom).
# regs: r2 = 5
# regs: r3 = 15
# regs: r5 = 1
# regs: r6 = 1
# regs: r7 = 1
	ldi r1, $5
	ldi r3, $0
again:
	add r3, r3, r1
	dec r1
	jifnz r1, again           # 5+4+3+2+1
	ldi r2, $5
	jmp forward
	ldi r4, $1                # skipped
forward:
	ldi r1, $x105
	sub r8b1, r2, r1          # equal in their low byte
	jifz r8b1, equal
	ldi r4, $2                # skipped
equal:
	ldi r5, $1
	jifz r5, forward          # not taken
	jifnz r4, forward         # not taken
	jmp $17
	ldi r4, $3                # skipped
	ldi r6, $1                # instruction 17
	ldi r7, $1
	ldi r1, $0
	haltexe
