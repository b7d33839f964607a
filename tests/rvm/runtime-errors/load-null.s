# A load through the null pointer.
# runtime-error: 4: load at 0x0: it points into no block
	ldi r1, $8
	load r2, r1, r0
	haltexe
