# fadd, fsub, fmult, fdiv, fmod: 8-byte views hold f64, 4-byte views f32;
# operands of both sizes mix, the result takes the destination's format.
# regs: r2 = 4609434218613702656
# regs: r3 = 4612248968380809216
# regs: r4 = 4615626668101337088
# regs: r5 = -4618441417868443648
# regs: r6 = 4614782243171205120
# regs: r7 = 4604180019048437077
# regs: r8 = 4609434218613702656
# regs: r9 = 4620130267728707584
# regs: r10 = 1081081856
# regs: r11 = 1069547520
# regs: r12 = 1074790400
# regs: r13 = 4617596992938311680
# regs: r14 = 9218868437227405312
# regs: r16 = 1084358656
	ldi r2, $1.5
	ldi r3, $2.25
	fadd r4, r2, r3           # 3.75
	fsub r5, r2, r3           # -0.75
	fmult r6, r2, r3          # 3.375
	fdiv r7, r2, r3           # 0.666...
	ldi r9, $7.5
	ldi r15, $2.0
	fmod r8, r9, r15          # 1.5
	ldi r11b4, $1.5
	ldi r12b4, $2.25
	fadd r10b4, r11b4, r12b4  # 3.75 as f32
	fadd r13, r11b4, r4       # f32 1.5 + f64 3.75 = 5.25 as f64
	ldi r15, $0.0
	fdiv r14, r2, r15         # 1.5 / 0 = +inf
	fsub r16b4, r10b4, r2     # f32 3.75 - f64 1.5 = f32 2.25
	fmult r16b4, r16b4, r16b4 # 5.0625
	ldi r15, $0
	ldi r1, $0
	haltexe
