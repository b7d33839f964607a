# A branch in another branch's delay slot: the first jump lands, one
# instruction at its target runs, then the second jump lands.  Both the
# second goto and that one instruction run in delay slots: warnings.
# stdout: 2
# cycles: 9
# warning: 11:1: this instruction runs in a delay slot of `goto first` (line 10), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
# warning: 14:1: this instruction runs in a delay slot of `goto second` (line 11), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
ldi i 124
ldi a 1
goto first
goto second
-
def first
ldi a 2
ldi a 3
-
def second
-
store a
halt
