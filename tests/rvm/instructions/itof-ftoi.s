# itof converts a signed 64-bit integer (a narrow view reads unsigned) to
# f64 or, into a 4-byte view, f32.  ftoi truncates toward zero, saturates
# out-of-range values, turns NaN into 0, and truncates to the destination.
# regs: r3 = -4609434218613702656
# regs: r4 = 1088421888
# regs: r5 = 4643176031446892544
# regs: r6 = -2
# regs: r7 = 44
# regs: r8 = -2
# regs: r9 = 9223372036854775807
# regs: r10 = -9223372036854775808
	ldi r2, $-3
	itof r3, r2               # -3.0
	ldi r2, $7
	itof r4b4, r2             # 7.0f
	ldi r2, $-1
	itof r5, r2b1             # 255.0
	ldi r2, $-2.75
	ftoi r6, r2
	ldi r2, $300.5
	ftoi r7b1, r2             # 300 truncated to one byte
	ldi r2b4, $-2.5
	ftoi r8, r2b4             # the low 4 bytes as an f32
	ldi r2, $1e300
	ftoi r9, r2
	ldi r2, $-1e300
	ftoi r10, r2
	ldi r2, $0.0
	fdiv r11, r2, r2          # NaN
	ldi r13, $99
	ftoi r13, r11             # NaN gives 0
	ldi r2, $0
	ldi r11, $0
	ldi r1, $0
	haltexe
