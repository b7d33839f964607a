# Indentation marks a delay slot as meant: deeper than the branch (a tab
# counts to the next multiple of 8 columns) is quiet; the same depth or
# less is reported.
# stdout: 9
# cycles: 10
# warning: 16:5: this instruction runs in a delay slot of `goto two` (line 15), before the jump lands; put `-` before it, or indent it deeper than the branch to show it is meant
ldi i 124
    goto one
	ldi b 9
	-
    halt
def one
    -
    store b
	goto two
    inc b
    -
def two
    halt
