# cpy pc to an address outside the program.
# runtime-error: 4: jump to instruction 1000, outside the program (3 instructions)
	ldi r1, $1000
	cpy pc, r1
	haltexe
