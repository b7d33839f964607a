# Two jumps landing in the same cycle: the `if` (cycle 4, lands in 9) and
# the `goto` in its slot (cycle 6, lands in 9 too).  The older branch wins:
# execution goes on at `one`.
# stdout: 1
# cycles: 12
ldi i 124
ldi a 0
check a
if zero goto one
    -
    goto two
    -
    -
halt
def one
ldi d 1
-
store d
halt
def two
ldi d 2
-
store d
halt
