# `ldi` sets the flags from its constant: `if zero` after `ldi a 5` is
# never taken.
# stdout: 0
# cycles: 12
# warning: 9:1: `if` sees only the flags of the instruction right before it, `ldi a 5` (line 8), whose zero flag is always 0: the branch is never taken
ldi i 124
ldi d 1
ldi a 5
if zero goto yes
-
-
-
-
ldi d 0
def yes
-
store d
halt
