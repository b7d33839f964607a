# cpy r, pc reads the index of the next instruction; cpy pc, r jumps.
# regs: r2 = 2
# regs: r3 = 5
# regs: r5 = 5
	ldi r1, $0
	cpy r2, pc            # instruction 1: pc reads as 2
	ldi r3, target
	cpy pc, r3
	ldi r4, $1            # skipped
target:
	ldi r5, $5
	haltexe
