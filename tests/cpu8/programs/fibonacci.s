# The Fibonacci numbers that fit in 8 bits, through the decimal port.
# The loop counts down n with `sub=`; its four delay slots do the work
# (indented: they are meant to run whether the branch is taken or not).
# Each round is 8 cycles: 4 + 14 * 8 + 1 = 117.
# stdout: 0
# stdout: 1
# stdout: 1
# stdout: 2
# stdout: 3
# stdout: 5
# stdout: 8
# stdout: 13
# stdout: 21
# stdout: 34
# stdout: 55
# stdout: 89
# stdout: 144
# stdout: 233
# cycles: 117
use x y z n
ldi i 124
ldi x 0
ldi y 1
ldi n 14
def loop
store x                 # x as it was 2 cycles ago: set in the slots below
ldi tmp 1
sub= n tmp
if not zero goto loop
    add z x y
    mov x y
    mov y z
    -
halt
