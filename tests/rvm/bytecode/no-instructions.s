# A header with no instructions.
# patch: 8 00 00 00 00
# bytecode-error: the program has no instructions
	ldi r1, $3
	jmp end
end:	haltexe
