# Seed: rshift= (alt >>=), lshift= (alt <<=) and inc on one register.
# a = 6: rshift= -> 3, >>= -> 1, lshift= -> 2, <<= -> 4, inc -> 5;
# b = 255: inc wraps to 0; lshift= of 129 -> 2 (bit 7 is shifted out).
# stdout: 3
# stdout: 1
# stdout: 2
# stdout: 4
# stdout: 5
# stdout: 0
# stdout: 2
# cycles: 24
ldi a 6
ldi i 124
rshift= a
-
store a
>>= a
-
store a
lshift= a
-
store a
<<= a
-
store a
inc a
-
store a
ldi b 255
ldi c 129
inc b
lshift= c
store b
store c
halt
