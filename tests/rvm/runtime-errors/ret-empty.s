# ret with no return address (8 bytes on the stack, ret needs 16).
# runtime-error: 4: pop of 16 bytes from a stack that holds 8
	push r1
	ret
