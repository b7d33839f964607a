# A version other than 1.
# patch: 4 02
# bytecode-error: version 2, expected 1
	ldi r1, $3
	jmp end
end:	haltexe
