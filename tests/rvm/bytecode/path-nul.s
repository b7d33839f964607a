# A NUL in the source path (its byte 5; the path starts at 20 + 8 * 3
# words + 8 * 1 constant + 4 * 3 lines = 64): the layout says the path
# has none, and runtime errors print it as a C string.
# patch: 69 00
# bytecode-error: the source path has a NUL at its byte 5 of 29
	ldi r1, $3
	jmp end
end:	haltexe
