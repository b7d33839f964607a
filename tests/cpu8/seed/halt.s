# Seed: `halt` stops the clock; it is counted as the last cycle.
# cycles: 1
halt
ldi i 124
-
store i
