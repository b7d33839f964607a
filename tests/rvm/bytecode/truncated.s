# A file cut inside its instructions.
# truncate: 30
# bytecode-error: the file is 30 bytes, its header describes 94
	ldi r1, $3
	jmp end
end:	haltexe
