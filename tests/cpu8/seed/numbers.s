# Seed: every number is 8 bits; ldi takes 0-255.
# stdout: 0
# stdout: 255
# stdout: 200
# cycles: 8
ldi i 124
ldi a 0
ldi b 255
ldi c 200
store a
store b
store c
halt
