# ldi: decimal, negative, hex and float constants and label addresses.
# Writing a view changes only the view's bytes; a 4-byte view takes an f32.
# exit: 12
# regs: r1 = 12
# regs: r2 = -12
# regs: r3 = 170
# regs: r4 = 4609434218613702656
# regs: r5 = -238
# regs: r6 = 1069547520
# regs: r7 = 11
# regs: r8 = -1
# regs: r9 = 65535
# regs: r10 = -9223372036854775808
# regs: r29 = 255
	ldi r1, $12
	ldi r2, $-12
	ldi r3, $x00aa
	ldi r4, $1.5
	ldi r5, $-1
	ldi r5b1, $x12
	ldi r6b4, $1.5
	ldi r7, end
	ldi r8, $xffffffffffffffff
	ldi r9b2, $-1
	ldi r10, $-9223372036854775808
end:	ldi r29b1, $255
	haltexe
