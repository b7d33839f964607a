# Each mnemonic takes a fixed number of operands.
# error: 10:8: `add` takes 3 registers, found 2 operands
# error: 11:10: `add=` takes 2 registers, found 3 operands
# error: 12:4: `inc` takes 1 register, found 0 operands
# error: 13:8: `ldi` takes a register and a number, found 1 operand
# error: 14:6: `halt` takes no operands, found 1 operand
# error: 15:8: `goto` takes a label, found 2 operands
# error: 16:3: `-` takes no operands, found 1 operand
# error: 17:9: `store` takes 1 register, found 2 operands
add a b
add= a b c
inc
ldi tmp
halt a
goto x y
- a
store a b
