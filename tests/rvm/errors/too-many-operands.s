# error: 2:18: too many operands (at most 3)
	add r1, r2, r3, r4
	haltexe
