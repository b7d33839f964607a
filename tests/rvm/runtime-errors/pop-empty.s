# pop from an empty stack.
# runtime-error: 5: pop of 8 bytes from a stack that holds 0
	push r1
	pop r2
	pop r3
	haltexe
