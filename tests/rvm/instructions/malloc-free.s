# malloc returns a pointer to zeroed memory; guest pointers name a block
# (slot 2 is the first heap block, generation 1) and an offset.  free of 0
# does nothing; a block of 0 bytes is a valid pointer too.
# regs: r2 = 2203318222848
# regs: r3 = 3302829850624
# regs: r4 = 24
# regs: r6 = 77
	ldi r1, $24
	malloc r2, r1
	ldi r8, $0
	malloc r3, r8
	cpy r4, r1
	ldi r7, $8
	ldi r9, $16
	add r9, r2, r9
	load r5, r7, r9           # fresh memory is zero
	ldi r6, $77
	store r9, r7, r6
	load r6, r7, r9
	free r3
	ldi r10, $0
	free r10
	free r2
	ldi r1, $0
	ldi r7, $0
	ldi r9, $0
	haltexe
