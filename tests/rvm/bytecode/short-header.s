# A file shorter than its header.
# truncate: 10
# bytecode-error: the file is 10 bytes, shorter than the 20-byte header
	ldi r1, $3
	jmp end
end:	haltexe
