# inc and dec wrap at the width of their register view.
# regs: r1 = 1
# regs: r2 = -1
# regs: r3 = 256
# regs: r4 = 131071
# regs: r5 = -9223372036854775808
	inc r1
	dec r2
	ldi r3, $x1ff
	inc r3b1                  # 0xff + 1 wraps to 0 in one byte
	ldi r4, $x10000
	dec r4b2                  # 0 - 1 in two bytes: 0xffff
	ldi r5, $x7fffffffffffffff
	inc r5
	inc r5
	dec r5
	dec r5
	dec r5
	dec r5
	inc r5
	inc r5
	inc r5
	haltexe
# exit: 1
