# Seed: "Its all 8 bits, numbers ..." -- 256 does not fit.
# error: 4:7: number `256` is out of range 0-255
# error: 5:7: expected a number 0-255, found `-1`
ldi a 256
ldi a -1
halt
