# --werror turns warnings into errors: exit 1, no output file.
# args: --werror
# error: 7:1: this store writes to the address `i` held 2 cycles ago: 0, not the 124 set by `ldi i 124` (line 6); leave one instruction between them
ldi a 1
-
ldi i 124
store a
halt
