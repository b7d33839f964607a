# haltexe has no K field.
# patch: 40 01
# bytecode-error: instruction 2: field K is not zero
	ldi r1, $3
	jmp end
end:	haltexe
