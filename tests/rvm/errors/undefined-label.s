# error: 3:6: undefined label 'nowhere'
# error: 4:10: undefined label 'elsewhere'
	jmp nowhere
	ldi r1, elsewhere
	haltexe
