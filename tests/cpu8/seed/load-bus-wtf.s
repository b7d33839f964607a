# Seed, "weird" wtf:  ldi i 52 / ldi i 127 / - / load a
# RAM sees i = 52 (three cycles back) and the data stack sees i = 127 (two
# cycles back): both answer on the shared bus, so a = ram[52] | pop.
# ram[52] = 5 (0101), the stack holds 3 then 10 (1010): a = 15, and 10 is
# popped, so the next (proper) stack load gets 3.
# stdout: 15
# stdout: 3
# cycles: 23
# warning: 25:1: RAM and the data stack share the bus: `i` was 52 3 cycles ago and 127 2 cycles ago, so this load reads ram[52] | stack.pop()
ldi a 5
ldi b 3
ldi c 10
ldi i 52
-
store a         # ram[52] = 5
ldi i 127
-
store b         # push 3
store c         # push 10
-
-
ldi i 52
ldi i 127
-
load a          # the seed's example
-
load d          # a proper stack load: i has been 127 for a while
ldi i 124
-
store a
store d
halt
