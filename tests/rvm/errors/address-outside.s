# Negative addresses are found while reading; ranges once the end is known.
# error: 5:6: an address cannot be negative
# error: 4:6: address 2 is outside the program (2 instructions)
	jmp $2
	jmp $-1
	haltexe
