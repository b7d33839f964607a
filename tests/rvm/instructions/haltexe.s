# haltexe stops the run; the exit status is the low 8 bits of r1.
# exit: 52
# regs: r1 = 4660
	ldi r1, $x1234
	haltexe
	ldi r2, $1                # never runs
	haltexe
