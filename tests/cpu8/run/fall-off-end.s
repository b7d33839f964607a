# Past the last instruction, program memory is empty: the all-zero word is
# `halt`, so the run stops there (and counts that cycle).  The checker warns.
# stdout: 3
# cycles: 5
# warning: 9:1: execution runs past the end of the program here: the empty memory after it halts the CPU
ldi a 3
ldi i 124
-
store a
