# realloc of a freed block.
# runtime-error: 6: realloc of 0x20100000000: its block was freed
	ldi r1, $8
	malloc r2, r1
	free r2
	realloc r3, r2, r1
	haltexe
