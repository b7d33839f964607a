# Seed, "pointer needs to be updated 2 cycles before store", valid:
#   ldi i 123 / - / store a
# stdout: A
# cycles: 10
ldi i 124
ldi a 65
ldi b 10
-
ldi i 123
-
store a
store b
-
halt
