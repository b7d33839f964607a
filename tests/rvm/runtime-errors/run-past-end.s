# Running past the last instruction stops the run at that line.
# warning: 5:2: execution can run past the last instruction (end with haltexe or a jump)
# runtime-error: 5: execution ran past the last instruction
	ldi r1, $1
	inc r1
