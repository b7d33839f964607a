# Three routines: `mul` multiplies by shifting and adding, `print_number`
# prints a number in decimal through the character port, `divmod10`
# divides by 10 for it (a nested call).  The digits are pushed on the data
# stack and popped in reverse.
# stdout: 132
# stdout: 63
# stdout: 255
# stdout: 0
# stdout: 250
# cycles: 1623
ldi h 10                # divmod10's divisor, kept in h
ldi a 12
ldi b 11
call mul
    -
    -
mov a c
call print_number
    -
    -
ldi a 7
ldi b 9
call mul
    -
    -
mov a c
call print_number
    -
    -
ldi a 15
ldi b 17
call mul
    -
    -
mov a c
call print_number
    -
    -
ldi a 0
ldi b 5
call mul
    -
    -
mov a c
call print_number
    -
    -
ldi a 25
ldi b 10
call mul
    -
    -
mov a c
call print_number
    -
    -
halt

# c = a * b (mod 256); changes a, b, d
def mul
ldi c 0
def mul_loop
rshift= b               # cout = the bit shifted out
if not cout goto mul_skip
    add d c a           # the slots run either way: d = c + a,
    lshift= a           # a doubles for the next bit
    -
    -
mov c d                 # the bit was set: keep the sum
def mul_skip
check b
if not zero goto mul_loop
    -
    -
    -
    -
return
    -
    -

# b = a / 10, a = a % 10 (h holds 10)
def divmod10
ldi b 0
def dm_loop
cmp a h
if not greater goto dm_done     # a < 10
    -
    -
    -
    -
sub= a h
inc b
goto dm_loop
    -
    -
def dm_done
return
    -
    -

# prints a in decimal and a newline through port 123; changes a-c, g, i
def print_number
ldi g 0                 # digits on the stack
def pn_digits
call divmod10
    -
    -
ldi tmp 48
add c a tmp             # c = '0' + a % 10
ldi i 127
inc g
store c                 # push the digit
mov a b
check a
if not zero goto pn_digits
    -
    -
    -
    -
def pn_print
ldi i 127
-
load c                  # pop a digit
ldi i 123
-
store c
ldi tmp 1
sub= g tmp
if not zero goto pn_print
    -
    -
    -
    -
ldi c 10
-
store c
return
    -
    -
