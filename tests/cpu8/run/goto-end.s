# A label after the last instruction is the address of the first empty
# word: jumping there halts, on purpose, without a warning.  The store in
# the goto's delay slot runs first.
# stdout: 4
# cycles: 6
ldi a 4
ldi i 124
goto end
    -
    store a
def end
