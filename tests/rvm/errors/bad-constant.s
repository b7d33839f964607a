# error: 10:10: bad constant '$12x' (write $12, $-12, $x00aa or $1.5)
# error: 11:10: bad constant '$x' (write $12, $-12, $x00aa or $1.5)
# error: 12:10: bad constant '$x12345678901234567' (write $12, $-12, $x00aa or $1.5)
# error: 13:10: bad constant '$18446744073709551616' (write $12, $-12, $x00aa or $1.5)
# error: 14:10: bad constant '$-9223372036854775809' (write $12, $-12, $x00aa or $1.5)
# error: 15:10: bad constant '$1.5.5' (write $12, $-12, $x00aa or $1.5)
# error: 16:10: bad constant '$00aa' (write $12, $-12, $x00aa or $1.5)
# error: 17:10: bad constant '$1e' (write $12, $-12, $x00aa or $1.5)
# error: 18:10: bad constant '$inf' (write $12, $-12, $x00aa or $1.5)
	ldi r1, $12x
	ldi r1, $x
	ldi r1, $x12345678901234567
	ldi r1, $18446744073709551616
	ldi r1, $-9223372036854775809
	ldi r1, $1.5.5
	ldi r1, $00aa
	ldi r1, $1e
	ldi r1, $inf
	haltexe
