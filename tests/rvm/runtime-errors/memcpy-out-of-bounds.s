# memcpy of more bytes than the source block has.
# runtime-error: 7: memcpy source of 32 bytes at offset 0 runs past the end of a 16-byte block
	ldi r1, $16
	ldi r2, $32
	malloc r3, r1
	malloc r4, r2
	memcpy r4, r2, r3
	haltexe
