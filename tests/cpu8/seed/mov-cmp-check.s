# Seed: mov, cmp, check, `-`, noop (expansions: docs/cpu8.md).
#   mov b a      b = a = 9
#   cmp a c      9 - 9 = 0: zero is set (a and c unchanged)
#   check d      d = 0: zero is set;  check a: 9 is odd
#   - and noop   do nothing but take a cycle
# Each taken `if` adds 1 to e: 3 taken branches.
# stdout: 9
# stdout: 9
# stdout: 3
# cycles: 31
ldi a 9
ldi c 9
ldi e 0
mov b a
cmp a c
if zero goto t1
-
-
-
-
halt
def t1
inc e
check d
if zero goto t2
noop
noop
noop
noop
halt
def t2
inc e
check a
if odd goto t3
-
-
-
noop
halt
def t3
inc e
ldi i 124
-
store b
store c
store e
halt
