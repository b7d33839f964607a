# Seed: or, and, xor, xnor, rshift.  a = 200 (11001000), b = 100 (01100100).
#   or     11101100 = ec      and    01000000 = 40
#   xor    10101100 = ac      xnor   01010011 = 53
#   rshift (a or b) >> 1 = 01110110 = 76
# stdout: ec
# stdout: 40
# stdout: ac
# stdout: 53
# stdout: 76
# cycles: 14
ldi a 200
ldi b 100
ldi i 126
or c a b
and d a b
xor e a b
xnor f a b
rshift g a b
store c
store d
store e
store f
store g
halt
