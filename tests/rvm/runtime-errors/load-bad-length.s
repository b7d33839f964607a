# load and store move 1 to 8 bytes; the length register says how many.
# runtime-error: 6: load length 9 is not 1 to 8 bytes
	ldi r1, $16
	malloc r2, r1
	ldi r3, $9
	load r4, r3, r2
	haltexe
