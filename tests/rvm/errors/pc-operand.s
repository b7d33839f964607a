# error: 4:6: 'add' cannot take pc (only cpy, push and pop can)
# error: 5:6: 'inc' cannot take pc (only cpy, push and pop can)
# error: 6:6: 'cpy' cannot take pc (only cpy, push and pop can)
	add pc, r1, r2
	inc pc
	cpy pc, pc
	haltexe
