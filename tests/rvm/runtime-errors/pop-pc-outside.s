# pop pc of an address outside the program.
# runtime-error: 5: jump to instruction 3, outside the program (3 instructions)
	ldi r1, $3
	push r1
	pop pc
