# error: 6:10: operand 2 of 'add' must be a register, found '$1'
# error: 7:6: operand 1 of 'jmp' must be a label or an address, found 'r1'
# error: 8:10: operand 2 of 'ldi' must be a constant or a label, found 'r2'
# error: 9:6: operand 1 of 'jmp' must be a label or an address, found '$1.5'
# error: 10:6: operand 1 of 'ldi' must be a register, found '$1'
	add r1, $1, r2
	jmp r1
	ldi r1, r2
	jmp $1.5
	ldi $1, $1
	haltexe
