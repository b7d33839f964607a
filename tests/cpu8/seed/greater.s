# Seed: `greater` is an alias of cout, "for unsigned comparison using
# cmp or sub".  cmp x y computes x + ~y + 1, whose carry means no borrow:
# x >= y.  So `if greater` after `cmp x y` is taken when x >= y (equal
# included), `if not greater` when x < y.  e = 200, f = 100.
# stdout: 1
# stdout: 0
# stdout: 1
# stdout: 1
# stdout: 0
# cycles: 51
ldi e 200
ldi f 100
ldi i 124
ldi d 1
cmp e f
if greater goto l0
-
-
-
-
ldi d 0
def l0
-
store d
ldi d 1
cmp f e
if greater goto l1
-
-
-
-
ldi d 0
def l1
-
store d
ldi d 1
cmp f f
if greater goto l2
-
-
-
-
ldi d 0
def l2
-
store d
ldi d 1
sub 0 f e
if not greater goto l3
-
-
-
-
ldi d 0
def l3
-
store d
ldi d 1
sub 0 f f
if not greater goto l4
-
-
-
-
ldi d 0
def l4
-
store d
halt
