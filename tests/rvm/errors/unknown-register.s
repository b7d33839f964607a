# error: 5:6: unknown register 'r30' (registers are r0-r29 with views rNb1 rNb2 rNb4 rNb8)
# error: 6:6: unknown register 'r1b3' (registers are r0-r29 with views rNb1 rNb2 rNb4 rNb8)
# error: 7:6: unknown register 'r01' (registers are r0-r29 with views rNb1 rNb2 rNb4 rNb8)
# error: 8:6: operand 1 of 'inc' must be a register, found 'fpb4'
	inc r30
	inc r1b3
	inc r01
	inc fpb4
	haltexe
