# A load that runs past the end of its block.
# runtime-error: 8: load of 8 bytes at offset 12 runs past the end of a 16-byte block
	ldi r1, $16
	malloc r2, r1
	ldi r3, $12
	add r2, r2, r3
	ldi r4, $8
	load r5, r4, r2
	haltexe
