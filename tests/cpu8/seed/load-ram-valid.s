# Seed, "pointer needs to be updated 3 cycles before load", valid:
#   ldi i 52 / - / - / load a
# stdout: 7
# cycles: 19
ldi a 9
ldi b 7
-
store a         # ram[0] = 9
ldi i 52
-
store b         # ram[52] = 7
ldi i 0
-
-
-
ldi i 52
-
-
load a
ldi i 124
-
store a
halt
