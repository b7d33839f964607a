# Seed, "weird" valid: the data stack at 127 needs only one instruction
# between the pointer and the load:  ldi i 127 / - / load a
# 42 is pushed first so there is something to pop.
# stdout: 42
# cycles: 11
ldi b 42
ldi i 127
-
store b         # push 42
ldi i 127
-
load a
ldi i 124
-
store a
halt
