# sp moved out of the stack: push refuses to use it.
# runtime-error: 4: sp (0x5) does not point into the stack
	ldi sp, $5
	push r1
	haltexe
