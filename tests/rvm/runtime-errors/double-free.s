# The second free of one block, even after other blocks were allocated
# and freed in between.
# runtime-error: 11: double free of 0x20100000000
	ldi r1, $32
	malloc r2, r1
	free r2
	malloc r3, r1
	malloc r4, r1
	free r3
	free r4
	free r2
	haltexe
