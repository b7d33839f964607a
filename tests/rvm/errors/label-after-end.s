# error: 3:6: label 'end' names no instruction (it follows the last one)
	ldi r1, end
	jmp end
	haltexe
end:
