# `if [not] COND goto LABEL`: every part is required, in that order.
# error: 9:3: `if` needs a condition: zero, odd, cout or greater, optionally after `not`
# error: 10:4: `carry` is not a condition: zero, odd, cout or greater, optionally after `not`
# error: 11:8: `goto` is not a condition: zero, odd, cout or greater, optionally after `not`
# error: 12:9: expected `goto` after the condition: `if COND goto LABEL`
# error: 13:8: expected `goto` after the condition: `if COND goto LABEL`
# error: 14:17: `if` needs a label after `goto`
# error: 15:18: unexpected `x` after the label
if
if carry goto end
if not goto end
if zero end
if odd jmp end
if not zero goto
if cout goto end x
def end
halt
