# realloc keeps the contents and the pointer; new bytes are zero.  realloc
# of 0 allocates.  A shrunk block ends earlier.
# regs: r4 = 1
# regs: r5 = 1234
# regs: r7 = 1
# regs: r8 = 99
	ldi r1, $8
	malloc r2, r1
	ldi r3, $1234
	store r2, r1, r3
	ldi r9, $4096
	realloc r10, r2, r9
	sub r11, r10, r2
	jifnz r11, fail
	ldi r4, $1
	load r5, r1, r10
	ldi r12, $4088
	add r12, r10, r12
	load r6, r1, r12          # the last 8 of the new bytes
	ldi r13, $0
	realloc r14, r13, r1      # like malloc
	ldi r15, $99
	store r14, r1, r15
	load r8, r1, r14
	ldi r9, $16
	realloc r10, r10, r9
	ldi r7, $1
	free r10
	free r14
	ldi r1, $0
	ldi r2, $0
	ldi r3, $0
	ldi r9, $0
	ldi r10, $0
	ldi r12, $0
	ldi r14, $0
	ldi r15, $0
	haltexe
fail:
	ldi r1, $1
	haltexe
