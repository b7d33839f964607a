# A goto whose delay slots are past the end never jumps: the first empty
# word halts the CPU first.
# cycles: 3
# warning: 7:1: the program ends inside the delay slots of a jump: the empty memory after it halts the CPU before the jump lands
def top
-
goto top
