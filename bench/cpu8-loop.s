# cpu8 simulator benchmark: three nested countdown loops doing ALU work,
# stores and loads; 255 * 255 * 64 rounds of the inner loop.
# Run: bin/cpu8 run bench/cpu8-loop.s   (prints the cycle count on stderr)
use x y z acc one
ldi one 1
ldi x 64
def outer
ldi y 255
def middle
ldi z 255
def inner
add= acc z
xor= acc y
sub= z one
if not zero goto inner
    rshift= acc
    ldi i 5
    -
    store acc
sub= y one
if not zero goto middle
    -
    -
    -
    -
sub= x one
if not zero goto outer
    -
    -
    -
    -
ldi i 126
-
store acc
halt
