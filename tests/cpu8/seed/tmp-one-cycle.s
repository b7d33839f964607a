# Seed: tmp is "only valid for the next clock cycle".  Read one cycle too
# late it holds the result of the instruction in between (here `-`, whose
# result is 0), so a stays 10 instead of becoming 15.
# stdout: 10
# cycles: 8
# warning: 10:1: tmp lives one cycle: here it holds the result of `-` (line 9): 0
ldi a 10
ldi tmp 5
-
add= a tmp
ldi i 124
-
store a
halt
