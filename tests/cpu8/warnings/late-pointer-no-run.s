# A late pointer is taken as deliberate only in a run of accesses that
# uses every value written (the seed's pro tips).  Here 6 and 125 are
# written for nothing: the load reads ram[5] and the store goes to 124.
# stdout: 9
# cycles: 14
# warning: 17:1: RAM sees `i` 3 cycles late: this load reads the address `i` held 3 cycles ago: 5, not the 6 set by `ldi i 6` (line 15); leave two instructions between them
# warning: 20:1: this store writes to the address `i` held 2 cycles ago: 124, not the 125 set by `ldi i 125` (line 19); leave one instruction between them
ldi a 9
ldi b 7
ldi i 5
ldi i 6
store a         # a run of stores: ram[5] = 9, ram[6] = 7
store b
ldi i 5
ldi i 6
-
load c
ldi i 124
ldi i 125
store c
halt
