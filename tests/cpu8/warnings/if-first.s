# An `if` that runs first sees the reset flags, all clear.
# stdout: 1
# cycles: 8
# warning: 5:1: this `if` runs first: it sees the flags of the reset, all clear, so the branch is always taken
if not odd goto yes
    ldi i 124
    ldi d 1
    -
    -
ldi d 0
def yes
-
store d
halt
