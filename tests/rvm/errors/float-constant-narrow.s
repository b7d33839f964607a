# error: 2:12: a float constant needs a 4- or 8-byte destination
	ldi r1b2, $1.5
	haltexe
