# Every pseudo-instruction is one primitive word (docs/cpu8.md); --trace
# prints the primitive each word decodes to, and what it did.  a = 12,
# b = 10; `addco=` adds the carry of `addci=` (23: none).
# args: --trace
# cycles: 24
# run-stderr:        1   0  ldi a 12             | a=12 tmp=12 flags=---
# run-stderr:        2   1  ldi b 10             | b=10 tmp=10 flags=---
# run-stderr:        3   2  add a a b            | a=22 tmp=22 flags=---
# run-stderr:        4   3  sub a a b            | a=12 tmp=12 flags=--c
# run-stderr:        5   4  addci a a b          | a=23 tmp=23 flags=-o-
# run-stderr:        6   5  addco a a b          | a=33 tmp=33 flags=-o-
# run-stderr:        7   6  or a a b             | a=43 tmp=43 flags=-o-
# run-stderr:        8   7  and a a b            | a=10 tmp=10 flags=---
# run-stderr:        9   8  xor a a b            | a=0 tmp=0 flags=z--
# run-stderr:       10   9  xnor a a b           | a=245 tmp=245 flags=-o-
# run-stderr:       11  10  rshift a a 0         | a=122 tmp=122 flags=--c
# run-stderr:       12  11  rshift a a 0         | a=61 tmp=61 flags=-o-
# run-stderr:       13  12  add b b b            | b=20 tmp=20 flags=---
# run-stderr:       14  13  add b b b            | b=40 tmp=40 flags=---
# run-stderr:       15  14  addci a a 0          | a=62 tmp=62 flags=---
# run-stderr:       16  15  or c a 0             | c=62 tmp=62 flags=---
# run-stderr:       17  16  sub 0 a c            | tmp=0 flags=z-c
# run-stderr:       18  17  or 0 a 0             | tmp=62 flags=---
# run-stderr:       19  18  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       20  19  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       21  20  goto 23              | jump to 23 in cycle 24 tmp=0 flags=z--
# run-stderr:       22  21  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       23  22  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       24  23  halt                 | tmp=0 flags=z--
# run-stderr: cycles: 24
ldi a 12
ldi b 10
add= a b
sub= a b
addci= a b
addco= a b
or= a b
and= a b
xor= a b
xnor= a b
rshift= a
>>= a
lshift= b
<<= b
inc a
mov c a
cmp a c
check a
-
noop
jmp end
-
-
def end
halt
