# rotl and rotr take the count first and rotate within the source's width;
# the count is taken modulo that width.  (The seed's rotr example writes
# rotl; rotr rotates right.)
# regs: r2 = 4
# regs: r3 = 24
# regs: r4 = 1729382256910270464
# regs: r5 = 3
# regs: r6 = 1
# regs: r7 = 129
# regs: r8 = 192
# regs: r9 = 24
# regs: r10 = 68
# regs: r11 = 20
# regs: r12 = 4096
# regs: r13 = 1
	ldi r2, $4
	ldi r1, $x8000000000000001
	rotl r3, r2, r1
	rotr r4, r2, r1
	ldi r6, $1
	ldi r7, $x81
	rotl r5, r6, r7b1         # 8-bit rotate: 0x81 -> 0x03
	rotr r8, r6, r7b1         # 0x81 -> 0xc0
	ldi r10, $68
	rotl r9, r10, r1          # 68 mod 64 = 4
	ldi r11, $20
	ldi r13, $1
	rotr r12, r11, r13b2      # 16-bit: right by 20 mod 16 = 4: 1 -> 0x1000
	ldi r1, $0
	haltexe
