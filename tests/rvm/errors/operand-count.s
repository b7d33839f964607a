# error: 5:2: 'add' takes 3 operands, found 2
# error: 6:2: 'haltexe' takes 0 operands, found 1
# error: 7:2: 'inc' takes 1 operand, found 0
	ldi r1, $1
	add r1, r2
	haltexe r1
	inc
	haltexe
