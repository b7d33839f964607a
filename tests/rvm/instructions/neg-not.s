# neg flips the most significant bit of its source (so it negates a float);
# not flips every bit of its source.  Both work at the source's width.
# regs: r2 = 5
# regs: r3 = -9223372036854775803
# regs: r4 = 133
# regs: r5 = 4609434218613702656
# regs: r6 = -4613937818241073152
# regs: r7 = -6
# regs: r8 = 250
# regs: r9 = 65530
# regs: r10 = 3217031168
	ldi r2, $5
	neg r3, r2
	neg r4, r2b1              # 0x05 -> 0x85
	ldi r5, $1.5
	neg r6, r5                # -1.5
	not r7, r2
	not r8, r2b1              # 0xfa
	not r9b2, r2              # the low two bytes of ~5
	ldi r11b4, $1.5
	neg r10, r11b4            # -1.5f
	ldi r11, $0
	ldi r1, $0
	haltexe
