# error: 5:1: 'r1' is reserved for registers and cannot be a label
# error: 6:1: 'pc' is reserved for registers and cannot be a label
# error: 7:1: 'sp' is reserved for registers and cannot be a label
# error: 8:1: 'r2d2' is reserved for registers and cannot be a label
r1:	ldi r1, $1
pc:	ldi r1, $1
sp:	ldi r1, $1
r2d2:	haltexe
