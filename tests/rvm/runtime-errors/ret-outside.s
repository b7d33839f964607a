# ret to a corrupted return address.
# runtime-error: 9: jump to instruction 77, outside the program (6 instructions)
	call f
	haltexe
f:
	ldi r1, $77
	ldi r2, $8
	store sp, r2, r1
	ret
