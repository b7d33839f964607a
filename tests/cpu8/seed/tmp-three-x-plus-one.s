# Seed: a = 3a + 1 in 2 cycles without another register:
#   add tmp a a      (tmp = 2a)
#   addci= a tmp     (a = a + tmp + 1)
# a = 7 -> 22, then 22 -> 67.
# stdout: 22
# stdout: 67
# cycles: 11
ldi a 7
ldi i 124
add tmp a a
addci= a tmp
-
store a
add tmp a a
addci= a tmp
-
store a
halt
