# Seed, delay slots and hazards, invalid:
#   add= a b / cmp a c / store d / if not greater goto label
# a = 3 + 9 = 12 >= c = 10, so the branch should not be taken; but `if`
# sees the flags of `store d`, which has no result (cout 0), and jumps.
# The store itself prints d (0), then 2 is printed instead of 1.
# stdout: 0
# stdout: 2
# cycles: 16
# warning: 17:1: `if` sees only the flags of the instruction right before it, `store d` (line 16), whose cout flag is always 0: the branch is always taken; the flags of `cmp a c` (line 15) are gone
ldi a 3
ldi b 9
ldi c 10
ldi i 124
add= a b
cmp a c
store d
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
