# Independent errors are all reported, in source order, and nothing is
# written.
# error: 6:7: number `300` is out of range 0-255
# error: 7:1: unknown instruction `foo`
# error: 9:6: undefined label `missing`
ldi a 300
foo
halt
goto missing
