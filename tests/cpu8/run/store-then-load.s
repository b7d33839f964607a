# A load sees every store that ran before it, even in the previous cycle:
# the store writes at the end of its cycle, RAM answers the load from the
# cell named 3 cycles back (here i has been 5 all along).
# stdout: 9
# cycles: 9
ldi i 5
ldi a 9
-
store a
load b
ldi i 124
-
store b
halt
