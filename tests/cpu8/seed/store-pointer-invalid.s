# Seed, "pointer needs to be updated 2 cycles before store", invalid:
#   ldi i 123 / store a       (stores a to whatever i was previously)
# i was 124 (the decimal port), so 65 is printed as a number, not as "A".
# stdout: 65
# cycles: 7
# warning: 12:1: this store writes to the address `i` held 2 cycles ago: 124, not the 123 set by `ldi i 123` (line 11); leave one instruction between them
ldi i 124
ldi a 65
-
-
ldi i 123
store a
halt
