# Seed: `use` maps each name to the first register still free (a, then b,
# ...), several names per line.  The values go in by name and come out by
# register letter.
# stdout: 1
# stdout: 2
# stdout: 3
# stdout: 4
# cycles: 11
use pos_x
use pos_y
use counter another_var
ldi pos_x 1
ldi pos_y 2
ldi counter 3
ldi another_var 4
ldi i 124
-
store a
store b
store c
store d
halt
