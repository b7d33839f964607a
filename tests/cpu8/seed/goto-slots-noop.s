# Seed: to keep the instructions after a goto from running, fill its two
# delay slots with noops:
#   add a b c / goto label / - / - / xor= e f / load a   (not executed)
# stdout: 5
# stdout: 12
# cycles: 15
ldi a 77
ldi b 2
ldi c 3
store a         # ram[0] = 77 (i is 0)
ldi e 12
ldi f 10
add a b c
goto label
-
-
xor= e f
load a
def label
ldi i 124
-
store a
store e
halt
