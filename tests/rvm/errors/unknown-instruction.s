# error: 4:2: unknown instruction 'foo'
# error: 5:2: unknown instruction 'ADD'
	ldi r1, $1
	foo r1
	ADD r1, r1, r1
	haltexe
