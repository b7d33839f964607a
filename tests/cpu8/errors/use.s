# `use` needs names that are new: not registers, not reserved words, not
# mapped already.
# error: 7:4: `use` needs at least one name
# error: 8:5: `a` is a register, not a new register name
# error: 9:5: `goto` is a reserved word, not a register name
# error: 11:7: `x` already names register a (line 10)
use
use a
use goto
use x
use y x
halt
