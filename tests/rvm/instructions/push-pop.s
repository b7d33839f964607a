# push and pop move 8-byte stack slots: push zero-extends a view, pop
# truncates to its destination; sp moves by 8.  push pc pushes the index of
# the next instruction; pop pc jumps.
# exit: 1
# regs: r1 = 1
# regs: r2 = 2
# regs: r3 = 2
# regs: r4 = 1
# regs: r6 = 255
# regs: r7 = -204
# regs: r8 = 4660
# regs: r11 = 8
# regs: r12 = 21
# regs: r14 = 7
	ldi r1, $1
	ldi r2, $2
	push r1
	push r2
	pop r3
	pop r4
	ldi r5, $-1
	push r5b1
	pop r6
	ldi r7, $-1
	ldi r8, $x1234
	push r8
	pop r7b1
	cpy r9, sp
	push r1
	cpy r10, sp
	pop r13
	sub r11, r9, r10
	ldi r9, $0
	ldi r10, $0
	push pc                   # instruction 20
	pop r12                   # 21
	ldi r13, target
	push r13
	pop pc
	ldi r14, $1               # skipped
target:
	ldi r14, $7
	ldi r13, $0
	ldi r5, $0
	haltexe
