# load and store move 1 to 8 bytes, little-endian, through a length
# register; load zero-extends, and a write truncates to the destination.
# regs: r4 = 1234605616436508552
# regs: r5 = 30600
# regs: r6 = 136
# regs: r8 = 1234605619288635272
# regs: r11 = -65400
# regs: r13 = 287454020
# regs: r14 = 17
	ldi r10, $16
	malloc r9, r10
	ldi r1, $x1122334455667788
	ldi r2, $8
	store r9, r2, r1          # bytes 0-7: 88 77 66 55 44 33 22 11
	load r4, r2, r9
	ldi r2, $2
	load r5, r2, r9           # 0x7788
	ldi r2, $4
	load r6b1, r2, r9         # 0x55667788 truncated to 0x88
	ldi r3, $3
	add r3, r9, r3
	ldi r7, $xffff
	ldi r2, $1
	store r3, r2, r7          # byte 3 becomes ff
	ldi r2, $8
	load r8, r2, r9
	ldi r11, $-1
	ldi r2, $1
	load r11b2, r2, r9        # ff..ff0088
	ldi r12, $x708
	ldi r3, $8
	add r3, r9, r3
	store r3, r12b1, r1       # length 8 from a view: bytes 8-15
	ldi r3, $12
	add r3, r9, r3
	ldi r2, $4
	load r13, r2, r3          # 0x11223344
	ldi r2, $1
	ldi r3, $15
	add r3, r9, r3
	load r14, r2, r3          # the last byte: 0x11
	free r9
	ldi r1, $0
	ldi r2, $0
	ldi r3, $0
	ldi r7, $0
	ldi r9, $0
	ldi r10, $0
	ldi r12, $0
	haltexe
