# A load through a pointer to a freed block.
# runtime-error: 6: load at 0x20100000000: its block was freed
	ldi r1, $8
	malloc r2, r1
	free r2
	load r3, r1, r2
	haltexe
