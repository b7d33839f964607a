# ldi names constant 5 of a pool of 1.
# patch: 24 05
# bytecode-error: instruction 0: constant 5 of 1
	ldi r1, $3
	jmp end
end:	haltexe
