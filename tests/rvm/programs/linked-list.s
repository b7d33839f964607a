# A linked list on the heap: nodes 1..10 are prepended (value at +0, next
# at +8), walked in order (r9 keeps a base-16 trace of the values, so the
# order is checked), summed, and freed node by node.
# exit: 55
# regs: r1 = 55
# regs: r6 = 10
# regs: r9 = 78187493530
# regs: r20 = 16
# regs: r21 = 8
	ldi r20, $16              # node size
	ldi r21, $8               # word size
	ldi r2, $0                # head
	ldi r3, $10
build:
	malloc r4, r20
	store r4, r21, r3         # value
	add r5, r4, r21
	store r5, r21, r2         # next
	cpy r2, r4
	dec r3
	jifnz r3, build
	ldi r1, $0                # sum
	ldi r6, $0                # count
	ldi r9, $0                # trace
	ldi r10, $4
	cpy r4, r2
walk:
	jifz r4, walked
	load r7, r21, r4
	add r1, r1, r7
	inc r6
	shl r9, r10, r9
	or r9, r9, r7
	add r5, r4, r21
	load r4, r21, r5
	jmp walk
walked:
	jifz r2, done
	add r5, r2, r21
	load r8, r21, r5
	free r2
	cpy r2, r8
	jmp walked
done:
	ldi r5, $0
	ldi r7, $0
	ldi r8, $0
	ldi r10, $0
	haltexe
