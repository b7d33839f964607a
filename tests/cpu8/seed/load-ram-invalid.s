# Seed, "pointer needs to be updated 3 cycles before load", invalid (also
# the first "weird" example):  ldi i 52 / - / load a
# RAM sees i three cycles late: the load reads ram[0] = 9 (i was 0), not
# ram[52] = 7.
# stdout: 9
# cycles: 18
# warning: 21:1: RAM sees `i` 3 cycles late: this load reads the address `i` held 3 cycles ago: 0, not the 52 set by `ldi i 52` (line 19); leave two instructions between them
ldi a 9
ldi b 7
-
store a         # ram[0] = 9
ldi i 52
-
store b         # ram[52] = 7
ldi i 0
-
-
-
ldi i 52
-
load a
ldi i 124
-
store a
halt
