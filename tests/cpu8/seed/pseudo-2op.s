# Seed: the 2-op forms `OP= r1 r2` mean r1 = r1 OP r2 (docs/cpu8.md:
# `OP= r1 r2` is `OP r1 r1 r2`).  Each register starts at 200 (c8), the
# second operand b is 100 (64); addco= follows an add that carried.
# stdout: 2c
# stdout: 64
# stdout: 2d
# stdout: 2d
# stdout: ec
# stdout: 40
# stdout: ac
# stdout: 53
# cycles: 30
ldi b 100
ldi i 126
ldi a 200
ldi c 200
ldi d 200
ldi e 200
ldi f 200
ldi g 200
ldi h 200
add= a b
-
store a
sub= c b
addci= d b
add 0 b h
addco= e b
or= f b
and= g b
xor= h b
store c
store d
store e
store f
store g
store h
ldi a 200
xnor= a b
-
store a
halt
