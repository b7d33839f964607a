# The dispatch-rate benchmark of bench/rvm-bench.py: a tight loop of four
# instructions (add, xor, dec, jifnz) run 100,000,000 times; 400,000,004
# instructions are executed in all.  r1 counts down; the exit status is 0.
	ldi r1, $100000000
	ldi r2, $0
	ldi r3, $3
loop:
	add r2, r2, r1
	xor r4, r2, r3
	dec r1
	jifnz r1, loop
	haltexe
