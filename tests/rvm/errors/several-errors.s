# Every error of a file is reported, in order; resolving labels comes last.
# error: 6:2: unknown instruction 'frob'
# error: 8:10: bad constant '$q' (write $12, $-12, $x00aa or $1.5)
# error: 7:6: undefined label 'missing'
	ldi r1, $1
	frob
	jmp missing
	ldi r1, $q
	haltexe
