# free of a pointer into the middle of a block.
# runtime-error: 7: free of 0x20100000008: it points inside a block, not at its start
	ldi r1, $16
	malloc r2, r1
	ldi r3, $8
	add r2, r2, r3
	free r2
	haltexe
