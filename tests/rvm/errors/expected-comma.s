# error: 3:9: expected ',' or the end of the line, found 'r2'
# error: 4:13: expected an operand
	add r1 r2, r3
	add r1, r2,
	haltexe
