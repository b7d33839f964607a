# Seed: `xnor= a 0` is a = a xnor 0, which flips every bit of a.
# stdout: f0
# stdout: 0f
# cycles: 9
ldi a 15
ldi i 126
xnor= a 0
-
store a
xnor= a 0
-
store a
halt
