# memset dest, n, byte and memcpy dest, n, source, in the seed's operand
# order.  Overlapping copies work as if through a temporary buffer; n = 0
# copies nothing.
# regs: r5 = -6510615555426900571
# regs: r6 = 182130867283365
# regs: r7 = -6510615555426900571
# regs: r8 = 1
# regs: r9 = 513
	ldi r1, $32
	malloc r2, r1
	malloc r3, r1
	ldi r4, $xa5
	ldi r10, $16
	memset r2, r10, r4        # bytes 0-15 = a5
	ldi r11, $8
	load r5, r11, r2
	add r12, r2, r11
	ldi r13, $2
	add r12, r12, r13
	load r6, r11, r12         # bytes 10-17: a5 x6, then 00 00
	memcpy r3, r1, r2
	load r7, r11, r3
	ldi r14, $0
	memcpy r3, r14, r2        # nothing
	ldi r15, $1
	store r2, r15, r15        # byte 0 = 01
	ldi r16, $2
	add r17, r2, r15
	store r17, r15, r16       # byte 1 = 02
	memcpy r17, r13, r2       # overlapping: bytes 1-2 = 01 02
	ldi r18, $2
	load r9, r18, r17         # 0x0201
	load r8, r15, r2
	free r2
	free r3
	ldi r1, $0
	ldi r2, $0
	ldi r3, $0
	ldi r4, $0
	ldi r10, $0
	ldi r11, $0
	ldi r12, $0
	ldi r13, $0
	ldi r15, $0
	ldi r16, $0
	ldi r17, $0
	ldi r18, $0
	haltexe
