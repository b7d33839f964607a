# mod by zero, here by a view whose low byte is zero.
# runtime-error: 5: division by zero
	ldi r2, $7
	ldi r3, $x100
	mod r4b1, r2, r3b1
	haltexe
