# The 4 instructions after an `if` run whether or not it jumps.  Written
# at the branch's own indentation they look like the not-taken path: the
# checker says so.  Here b = 9 although the branch is taken.
# stdout: 9
# cycles: 11
# warning: 11:1: this instruction runs in a delay slot of `if not zero goto skip` (line 10), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
ldi i 124
ldi a 1
check a
if not zero goto skip
ldi b 9
-
-
-
ldi b 0
def skip
-
store b
halt
