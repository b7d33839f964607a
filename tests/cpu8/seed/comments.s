# Seed: a comment is `#` followed by a space; `#` is a keyword of its own,
# so it may also follow an instruction's operands.
# stdout: 7
# cycles: 5
# this is a comment
ldi a 7         # a comment after an instruction
ldi i 124
#
-
store a
halt
