# A noop between `cmp` and `if` hides the comparison: `-` is `or 0 0 0`,
# whose result 0 sets zero.  1 != 2, yet `if zero` jumps and 1 is printed.
# stdout: 1
# cycles: 14
# warning: 12:1: `if` sees only the flags of the instruction right before it, `-` (line 11), whose zero flag is always 1: the branch is always taken; the flags of `cmp a b` (line 10) are gone
ldi a 1
ldi b 2
ldi i 124
ldi d 1
cmp a b
-
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
