# Seed, "pro tip": stores see i two cycles late, so two pointer writes in a
# row feed two stores in a row:
#   ldi i 123 / ldi i 124 / store a / store b   (a to 123, b to 124)
# stdout: A66
# cycles: 7
ldi a 65
ldi b 66
ldi i 123
ldi i 124
store a
store b
halt
