# A freed slot is reused only after 1024 others were freed, and then with
# a new generation: the old pointer names no block any more.
# runtime-error: 21: store at 0x20100000000: it points into no block
	ldi r1, $8
	malloc r2, r1
	free r2
	ldi r5, $1100
	ldi r6, $0
alloc:
	malloc r3, r1
	push r3
	dec r5
	jifnz r5, alloc
	ldi r5, $1100
release:
	pop r3
	free r3
	dec r5
	jifnz r5, release
	malloc r4, r1             # takes slot 2 again, generation 2
	store r2, r1, r1
	haltexe
