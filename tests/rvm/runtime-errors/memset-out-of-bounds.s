# memset past the end of a block, with a huge count that must not wrap.
# runtime-error: 8: memset of 18446744073709551615 bytes at offset 8 runs past the end of a 16-byte block
	ldi r1, $16
	malloc r2, r1
	ldi r3, $8
	add r2, r2, r3
	ldi r4, $-1
	memset r2, r4, r3
	haltexe
