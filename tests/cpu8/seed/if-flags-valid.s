# Seed, delay slots and hazards: `if` checks only the flags of the
# instruction right before it.  Valid:
#   add= a b / cmp a c / if not greater goto label
# a = 3 + 4 = 7 < c = 10: cout is clear, so `if not greater` jumps and 2 is
# printed.
# stdout: 2
# cycles: 15
ldi a 3
ldi b 4
ldi c 10
ldi i 124
add= a b
cmp a c
if not greater goto label
-
-
-
-
ldi d 1         # a >= c
goto print
-
-
def label
ldi d 2         # a < c
def print
-
store d
halt
