# free of a pointer into the stack.
# runtime-error: 5: free of 0x101000ffff8: it points into the stack
	push r1
	cpy r2, sp
	free r2
	haltexe
