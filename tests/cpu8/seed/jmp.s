# Seed: `jmp` is another spelling of `goto`.
# stdout: 2
# cycles: 8
ldi i 124
ldi a 2
jmp over
-
-
ldi a 1
def over
-
store a
halt
