# A set bit between field C and field K.
# patch: 23 80
# bytecode-error: instruction 0: unused bits are set
	ldi r1, $3
	jmp end
end:	haltexe
