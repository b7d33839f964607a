# Constants must fit the destination view, read as signed or unsigned.
# error: 6:12: constant '$256' does not fit in 1 byte
# error: 7:12: constant '$-32769' does not fit in 2 bytes
# error: 8:12: constant '$x1ffff' does not fit in 2 bytes
# error: 9:12: constant '$4294967296' does not fit in 4 bytes
	ldi r1b1, $256
	ldi r1b2, $-32769
	ldi r1b2, $x1ffff
	ldi r1b4, $4294967296
	ldi r1b1, $-128
	ldi r1b1, $255
	ldi r1b4, $-2147483648
	ldi r1, $18446744073709551615
	haltexe
