# Loading from the empty data stack is a runtime error (exit 2).  (At the
# start i is 0, a RAM address, so RAM answers this load too: see
# load-bus-wtf.s.)
# exit: 2
# runtime-error: 9: load from the empty data stack
# warning: 9:1: RAM and the data stack share the bus: `i` was 0 3 cycles ago and 127 2 cycles ago, so this load reads ram[0] | stack.pop()
ldi i 127
-
load a
halt
