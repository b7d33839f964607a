# The logic ops never carry: `if cout` after `or` is never taken, although
# 200 + 100 would carry.
# stdout: 0
# cycles: 14
# warning: 11:1: `if` sees only the flags of the instruction right before it, `or 0 a b` (line 10), whose cout flag is always 0: the branch is never taken
ldi a 200
ldi b 100
ldi i 124
ldi d 1
or 0 a b
if cout goto yes
-
-
-
-
ldi d 0
def yes
-
store d
halt
