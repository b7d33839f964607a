# The flags an `if` sees come from the instruction that ran right before
# it, which for a jump target is the jump's last delay slot, not the
# instruction written above it.  3 != 4, but the `-` in the slot sets zero.
# stdout: 1
# cycles: 16
# warning: 17:1: `if` sees only the flags of the instruction right before it, `-` (line 14), whose zero flag is always 1: the branch is always taken
ldi i 124
ldi a 3
ldi b 4
ldi d 1
cmp a b
goto test
-
-
halt
def test
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
