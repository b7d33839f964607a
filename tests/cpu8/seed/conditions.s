# Seed: the branch conditions zero, odd and cout, each taken (prints 1)
# and not taken (prints 0).  a = 0, b = 1, c = 2; 200 + 100 carries,
# 100 + 100 does not.
# stdout: 1
# stdout: 0
# stdout: 1
# stdout: 0
# stdout: 1
# stdout: 0
# cycles: 64
ldi a 0
ldi b 1
ldi c 2
ldi e 200
ldi f 100
ldi i 124
ldi d 1
check a
if zero goto l0
-
-
-
-
ldi d 0
def l0
-
store d
ldi d 1
check b
if zero goto l1
-
-
-
-
ldi d 0
def l1
-
store d
ldi d 1
check b
if odd goto l2
-
-
-
-
ldi d 0
def l2
-
store d
ldi d 1
check c
if odd goto l3
-
-
-
-
ldi d 0
def l3
-
store d
ldi d 1
add 0 e f
if cout goto l4
-
-
-
-
ldi d 0
def l4
-
store d
ldi d 1
add 0 f f
if cout goto l5
-
-
-
-
ldi d 0
def l5
-
store d
halt
