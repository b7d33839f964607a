# Seed: "address 123-126 is ports ... prints to terminal on store"; the
# formats are decisions.md's: 123 a character, 124 unsigned decimal, 125
# signed decimal, 126 two hex digits (each of the last three with a
# newline).  200 prints as 200, -56 and c8; then "Hi\n" through 123.
# stdout: 200
# stdout: -56
# stdout: c8
# stdout: Hi
# cycles: 15
ldi a 200
ldi i 124
ldi i 125
store a         # 124
store a         # 125
ldi i 126
ldi b 72
store a         # 126
ldi i 123
ldi c 105
ldi d 10
store b
store c
store d
halt
