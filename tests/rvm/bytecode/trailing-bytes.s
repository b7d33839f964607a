# Bytes after the path.
# patch: 99 00
# bytecode-error: the file is 100 bytes, its header describes 99
	ldi r1, $3
	jmp end
end:	haltexe
