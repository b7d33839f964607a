# error: 4:1: 'r1' is a register and cannot be a label
# error: 5:1: 'pc' is a register and cannot be a label
# error: 6:1: 'sp' is a register and cannot be a label
r1:	ldi r1, $1
pc:	ldi r1, $1
sp:	haltexe
