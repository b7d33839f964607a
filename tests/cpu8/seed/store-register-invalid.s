# Seed, "register needs to be updated 2 cycles before store", invalid:
#   ldi i 123 / ldi a 5 / store a      (stores whatever a was previously)
# a was 72 ("H"), so "H" is written instead of the byte 5.
# stdout: H
# cycles: 9
# warning: 13:1: this store writes the value `a` held 2 cycles ago: 72, not the 5 set by `ldi a 5` (line 12); leave one instruction between them
ldi a 72
ldi b 10
-
-
ldi i 123
ldi a 5
store a
store b
halt
