# The data stack is last in, first out: "Hello" pushed a letter at a time
# comes back as "olleH".  Stores to 127 push, loads pop; five pops in a row
# need i = 127 only two cycles ahead.
# stdout: olleH
# cycles: 25
ldi a 72
ldi b 101
ldi c 108
ldi d 111
ldi i 127
ldi e 10
store a
store b
store c
store c
store d
load a
load b
load c
load d
load f
ldi i 123
-
store a
store b
store c
store d
store f
store e
halt
