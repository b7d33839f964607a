# Addresses 64-122 are not mapped: a store there is lost, a load reads 0;
# ports cannot be read either (decisions.md: they read 0).
# stdout: 0
# stdout: 0
# cycles: 16
# warning: 14:1: this store writes to address 100, which is not mapped: nothing is written
# warning: 16:1: address 100 is not mapped: this load reads 0
# warning: 20:1: port 124 cannot be read: this load reads 0
ldi a 7
ldi b 5
ldi c 6
ldi i 100
-
store a
-
load b
ldi i 124
-
-
load c
-
store b
store c
halt
