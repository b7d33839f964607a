# An instruction count whose size would overflow 32 bits.
# patch: 8 ff ff ff ff
# bytecode-error: the file is 95 bytes, its header describes 51539607599
	ldi r1, $3
	jmp end
end:	haltexe
