# The integer side of itof and ftoi may be any view.
# error: 5:7: 'r1b2' is a 2-byte view; a float operand is 4 or 8 bytes
# error: 6:7: 'r1b1' is a 1-byte view; a float operand is 4 or 8 bytes
# error: 7:11: 'r3b2' is a 2-byte view; a float operand is 4 or 8 bytes
	fadd r1b2, r2, r3
	itof r1b1, r2
	ftoi r2, r3b2
	itof r1, r2b1
	ftoi r2b1, r3b4
	fadd r1b4, r2b8, r3
	haltexe
