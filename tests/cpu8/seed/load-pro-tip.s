# Seed, "pro tip", pipelined reads: RAM sees i three cycles late, so
#   ldi i 52 / inc i / inc i / load a / load b / load c
# loads ram[52], ram[53], ram[54].
# stdout: 11
# stdout: 22
# stdout: 33
# cycles: 22
ldi a 11
ldi b 22
ldi c 33
ldi i 52
ldi i 53
store a         # ram[52]
store b         # ram[53]
ldi i 54
-
store c         # ram[54]
ldi i 52
inc i
inc i
load a
load b
load c
ldi i 124
-
store a
store b
store c
halt
