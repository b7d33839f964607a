# A growing buffer: 1000 values appended to an array of 8-byte slots whose
# capacity doubles through realloc (1, 2, 4, ... 1024: 10 reallocs), then
# read back and summed.
# exit: 20
# regs: r1 = 500500
# regs: r7 = 10
# regs: r8 = 1000
# regs: r9 = 1024
	ldi r2, $8
	malloc r3, r2             # buffer, capacity 1
	ldi r9, $1                # capacity
	ldi r4, $0                # length
	ldi r5, $1                # next value
	ldi r6, $1000
	ldi r7, $0                # reallocs
	ldi r11, $3
append:
	sub r10, r4, r9
	jifnz r10, room
	add r9, r9, r9
	shl r12, r11, r9          # bytes = capacity * 8
	realloc r3, r3, r12
	inc r7
room:
	shl r12, r11, r4
	add r12, r3, r12
	store r12, r2, r5
	inc r4
	inc r5
	dec r6
	jifnz r6, append
	ldi r1, $0
	cpy r13, r4
	ldi r14, $0
sum:
	shl r12, r11, r14
	add r12, r3, r12
	load r15, r2, r12
	add r1, r1, r15
	inc r14
	dec r13
	jifnz r13, sum
	load r8, r2, r12          # the last value
	free r3
	ldi r2, $0
	ldi r3, $0
	ldi r4, $0
	ldi r5, $0
	ldi r10, $0
	ldi r11, $0
	ldi r12, $0
	ldi r13, $0
	ldi r14, $0
	ldi r15, $0
	haltexe
