# A store of length 0 is an error too.
# runtime-error: 5: store length 0 is not 1 to 8 bytes
	ldi r1, $16
	malloc r2, r1
	store r2, r0, r1
	haltexe
