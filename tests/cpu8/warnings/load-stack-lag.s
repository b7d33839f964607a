# The data stack sees i 2 cycles late: right after `ldi i 127` a load
# still uses the old i (0), so the stack is not popped and nothing answers
# (RAM sees i = 127 of 3 cycles back).  The next, proper load pops 43.
# stdout: 0
# stdout: 43
# cycles: 16
# warning: 16:1: the data stack sees `i` 2 cycles late: this load uses the address `i` held 2 cycles ago: 0, not 127 from `ldi i 127` (line 15); leave one instruction between them
ldi a 42
ldi b 43
ldi i 127
-
store a
store b
ldi i 0
ldi i 127
load c
-
load d
ldi i 124
-
store c
store d
halt
