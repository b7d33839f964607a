# A float operand of 2 bytes: fadd's field A = r1 with width code 1.
# patch: 21 21
# bytecode-error: instruction 0: float operand of 2 bytes
	fadd r1, r1, r1
	haltexe
