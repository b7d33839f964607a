# Registers are a-i, 0, tmp or `use` names; a name is usable after its
# `use` line only.
# error: 6:9: expected a register (a-i, 0, tmp or a `use` name), found `j`
# error: 7:5: expected a register (a-i, 0, tmp or a `use` name), found `x`
# error: 9:9: expected a register (a-i, 0, tmp or a `use` name), found `1`
add a b j
mov x a
use x
add x a 1
halt
