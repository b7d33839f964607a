# free of a number that no malloc returned.
# runtime-error: 4: free of 0x4d2: it points into no block
	ldi r1, $1234
	free r1
	haltexe
