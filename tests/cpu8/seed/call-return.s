# Seed: `call` jumps and pushes PC + 3 (the address after its 2 delay
# slots); `return` pops it, also with 2 delay slots.  The call runs in
# cycle 3, `double` in cycles 6-9, and the return lands in cycle 10.
# stdout: 10
# cycles: 11
ldi i 124
ldi a 5
call double
-
-
store a
halt
def double
add= a a
return
-
-
