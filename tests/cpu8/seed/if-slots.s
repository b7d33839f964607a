# Seed: `if` has 4 delay slots, always executed:
#   cmp a b / if not odd goto label / - / - / - / -
# 2 - 0 = 2 is even, so the branch is taken: the if runs in cycle 5, its
# slots in cycles 6-9, and the target in cycle 10.
# stdout: 9
# cycles: 13
# run-stderr:        1   0  ldi i 124            | i=124 tmp=124 flags=---
# run-stderr:        2   1  ldi a 2              | a=2 tmp=2 flags=---
# run-stderr:        3   2  ldi b 0              | tmp=0 flags=z--
# run-stderr:        4   3  sub 0 a b            | tmp=2 flags=--c
# run-stderr:        5   4  if not odd goto 10   | jump to 10 in cycle 10 tmp=0 flags=z--
# run-stderr:        6   5  or 0 0 0             | tmp=0 flags=z--
# run-stderr:        7   6  or 0 0 0             | tmp=0 flags=z--
# run-stderr:        8   7  or 0 0 0             | tmp=0 flags=z--
# run-stderr:        9   8  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       10  10  ldi d 9              | d=9 tmp=9 flags=-o-
# run-stderr:       11  11  or 0 0 0             | tmp=0 flags=z--
# run-stderr:       12  12  store d              | out "9\n" tmp=0 flags=z--
# run-stderr:       13  13  halt                 | tmp=0 flags=z--
# run-stderr: cycles: 13
# args: --trace
ldi i 124
ldi a 2
ldi b 0
cmp a b
if not odd goto label
    -
    -
    -
    -
ldi d 1         # not taken: never runs here
def label
ldi d 9
-
store d
halt
