# A store through a pointer moved below the start of its block: the borrow
# changes the pointer's block id.
# runtime-error: 8: store at 0x200ffffffff: it points into no block
	ldi r1, $16
	malloc r2, r1
	dec r2
	ldi r4, $1
	store r2, r4, r4
	haltexe
