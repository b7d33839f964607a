# Recursion without end overflows the 1 MiB stack.
# runtime-error: 4: stack overflow (the stack is 1048576 bytes)
forever:
	call forever
