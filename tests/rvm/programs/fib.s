# Recursive Fibonacci with call and ret, saving registers with push/pop:
# fib(20) = 6765 (exit status 6765 mod 256 = 109).
# exit: 109
# regs: r1 = 6765
# regs: r2 = 20
	ldi r2, $20
	call fib
	haltexe
fib:                              # r1 = fib(r2); keeps r2
	cpy r1, r2
	jifz r2, base
	cpy r4, r2
	dec r4
	jifz r4, base
	push r2
	dec r2
	call fib
	pop r2
	push r1                   # fib(n - 1)
	push r2
	dec r2
	dec r2
	call fib
	pop r2
	pop r5
	add r1, r1, r5
	ldi r5, $0
base:
	ldi r4, $0
	ret
