# Labels: defined once, by a name, and every use must be defined.
# error: 9:5: expected a label name, found `1x`
# error: 10:5: `halt` is a reserved word, not a label name
# error: 12:5: label `top` is already defined at line 8
# error: 13:4: `def` takes a label name, found 0 operands
# error: 14:6: expected a label name, found `12`
# error: 15:6: undefined label `nowhere`
def top
def 1x
def halt
halt
def top
def
goto 12
goto nowhere
