# Seed: add, sub, addci, addco (with the carry of the instruction right
# before it).  a = 200, b = 100.
#   add c a b    300 -> 44 (mod 256), cout 1
#   sub d a b    100
#   addci e a b  301 -> 45
#   add 0 a b    sets cout (300 > 255); addco f 0 0 = 0 + 0 + 1 = 1
#   add 0 b b    clears cout (200);     addco g a b = 300 + 0 -> 44
#   sub h b a    100 - 200 = -100 -> 156
# stdout: 44
# stdout: 100
# stdout: 45
# stdout: 1
# stdout: 44
# stdout: 156
# cycles: 19
ldi a 200
ldi b 100
ldi i 124
add c a b
sub d a b
addci e a b
add 0 a b
addco f 0 0
add 0 b b
addco g a b
sub h b a
-
store c
store d
store e
store f
store g
store h
halt
