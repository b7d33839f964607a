# Seed: not zero, not odd and not cout, each taken (prints 1) and not
# taken (prints 0), on the same flags as conditions.s.
# stdout: 0
# stdout: 1
# stdout: 0
# stdout: 1
# stdout: 0
# stdout: 1
# cycles: 64
ldi a 0
ldi b 1
ldi c 2
ldi e 200
ldi f 100
ldi i 124
ldi d 1
check a
if not zero goto l0
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
if not zero goto l1
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
if not odd goto l2
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
if not odd goto l3
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
if not cout goto l4
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
if not cout goto l5
-
-
-
-
ldi d 0
def l5
-
store d
halt
