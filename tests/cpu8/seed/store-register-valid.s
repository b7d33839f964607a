# Seed, "register needs to be updated 2 cycles before store", valid:
#   ldi i 123 / ldi a 5 / - / store a      (the byte 5 is written)
# stdout: \x05
# cycles: 10
ldi a 72
ldi b 10
-
-
ldi i 123
ldi a 5
-
store a
store b
halt
