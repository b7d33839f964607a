# push without end overflows the stack too.
# runtime-error: 4: stack overflow (the stack is 1048576 bytes)
again:
	push r1
	jmp again
