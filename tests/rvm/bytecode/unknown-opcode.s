# An opcode past the table.
# patch: 20 ff
# bytecode-error: instruction 0: unknown opcode 255
	ldi r1, $3
	jmp end
end:	haltexe
