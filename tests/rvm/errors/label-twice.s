# error: 5:1: label 'a' is defined twice
a:	ldi r1, $1
	jmp a
	haltexe
a:	haltexe
