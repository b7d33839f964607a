# A 1-byte store just past the end of a block.
# runtime-error: 7: store of 1 byte at offset 16 runs past the end of a 16-byte block
	ldi r1, $16
	malloc r2, r1
	add r2, r2, r1
	ldi r4, $1
	store r2, r4, r4
	haltexe
