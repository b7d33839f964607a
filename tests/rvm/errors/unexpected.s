# error: 5:2: unexpected '@foo'
# error: 6:6: bad operand '5r'
# error: 7:6: bad operand 'r1;'
	ldi r1, $1
	@foo
	inc 5r
	inc r1;
	haltexe
