# Seed: goto, call and return have 2 delay slots:
#   add a b c / goto label / xor= e f / load a     (both will be executed)
# e = 12 xor 10 = 6, and a = ram[0] = 77 (not b + c = 5).
# stdout: 77
# stdout: 6
# cycles: 15
# warning: 17:1: this instruction runs in a delay slot of `goto label` (line 16), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
# warning: 18:1: this instruction runs in a delay slot of `goto label` (line 16), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
ldi a 77
ldi b 2
ldi c 3
store a         # ram[0] = 77 (i is 0)
ldi e 12
ldi f 10
add a b c
goto label
xor= e f
load a
def label
ldi i 124
-
store a
store e
halt
