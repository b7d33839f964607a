# A store takes its register as it was 2 cycles earlier; for tmp that is
# the result of the instruction 2 cycles back.  `ldi tmp 5 / store tmp`
# stores the result of `ldi i 124`; with one instruction between, the
# store sees exactly the tmp that `ldi tmp 6` wrote.
# stdout: 124
# stdout: 6
# cycles: 7
# warning: 11:1: this store writes tmp as it was 2 cycles ago: the result of `ldi i 124` (line 9): 124
ldi i 124
ldi tmp 5
store tmp
ldi tmp 6
-
store tmp
halt
