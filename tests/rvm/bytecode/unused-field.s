# haltexe has no operands: its field A must be zero.
# patch: 37 01
# bytecode-error: instruction 2: operand field A is not zero
	ldi r1, $3
	jmp end
end:	haltexe
