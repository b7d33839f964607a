# `addco` adds the carry of the instruction right before it: after an
# `ldi` that is 0, so 0 + 1 + carry is 1, not 2.
# stdout: 1
# cycles: 9
# warning: 11:1: `addco` adds the carry of the instruction right before it, `ldi e 1` (line 10), which is always 0; the carry of `add c a b` (line 9) is gone
ldi a 200
ldi b 100
ldi i 124
add c a b
ldi e 1
addco d 0 e
-
store d
halt
