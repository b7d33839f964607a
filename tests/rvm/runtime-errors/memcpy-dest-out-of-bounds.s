# memcpy into a block too small for it.
# runtime-error: 7: memcpy destination of 32 bytes at offset 0 runs past the end of a 16-byte block
	ldi r1, $16
	ldi r2, $32
	malloc r3, r1
	malloc r4, r2
	memcpy r3, r2, r4
	haltexe
