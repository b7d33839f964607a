# A jump target outside the program in a .rbc is stopped when the jump runs:
# jmp's K field (bytes 32-35) becomes 1000.
# patch: 32 e8 03
# runtime-error: 6: jump to instruction 1000, outside the program (3 instructions)
	ldi r1, $3
	jmp end
end:	haltexe
