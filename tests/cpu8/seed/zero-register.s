# Seed: writing to the 0 register only updates flags; reading it gives 0.
#   add 0 a b   200 + 100 carries: `if cout` is taken, a and b unchanged
#   `add c 0 0` reads 0 twice
# stdout: 1
# stdout: 200
# stdout: 100
# stdout: 0
# cycles: 18
ldi a 200
ldi b 100
ldi d 0
ldi c 7
ldi i 124
add 0 a b
if cout goto carried
-
-
-
-
halt            # not reached
def carried
ldi d 1
add c 0 0
store d
store a
store b
store c
halt
