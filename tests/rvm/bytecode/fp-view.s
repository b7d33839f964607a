# fp has no narrow views: field A = register 30, width 1 byte.
# patch: 21 1e
# bytecode-error: instruction 0: fp has a view narrower than 8 bytes
	ldi r1, $3
	jmp end
end:	haltexe
