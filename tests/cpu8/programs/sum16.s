# 1 + 2 + ... + 100 = 5050 = 0x13ba in 16 bits: `addco=` right after the
# low byte's `add=` carries into the high byte.
# stdout: 13
# stdout: ba
# cycles: 906
use lo hi k
ldi k 100
def loop
add= lo k
addco= hi 0
ldi tmp 1
sub= k tmp
if not zero goto loop
    -
    -
    -
    -
ldi i 126
-
store hi
store lo
halt
