# Division by zero stops the run, naming the line.
# runtime-error: 5: division by zero
	ldi r2, $7
	ldi r3, $0
	div r4, r2, r3
	haltexe
