# Seed: tmp holds a value for the next instruction only.
#   ldi tmp 5 / add= a tmp        addition with an immediate: 10 + 5
#   ldi tmp 8 / cmp a tmp         compare with an immediate: 15 vs 8
# `if greater` (cout: 15 >= 8) is taken and prints 1.
# stdout: 15
# stdout: 1
# cycles: 16
ldi a 10
ldi i 124
ldi d 0
ldi tmp 5
add= a tmp
ldi tmp 8
cmp a tmp
if greater goto above
-
-
-
-
halt            # not reached
def above
ldi d 1
store a
store d
halt
