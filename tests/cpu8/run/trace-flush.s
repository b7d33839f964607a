# --trace shows every byte written to a port, also in the cycle whose
# output fills the 64 KiB output buffer and flushes it: 20 rounds of 1024
# stores of "200\n" print 81920 bytes, and the trace has one entry per
# store (it used to miss the one that flushed).
# norun
# shell: $CPU8 run $SRC --trace >$TMP/out 2>$TMP/trace && test $(wc -c <$TMP/out) = 81920 && test $(grep -c 'out "200\\n"' $TMP/trace) = 20480
# shell: $CPU8 run $SRC >$TMP/out 2>$TMP/err && test $(wc -c <$TMP/out) = 81920 && grep -qx 'cycles: 30865' $TMP/err
use x z v one
ldi one 1
ldi v 200
ldi x 20
ldi i 124
def outer
ldi z 0
def inner
sub= z one
if not zero goto inner
    store v
    store v
    store v
    store v
sub= x one
if not zero goto outer
    -
    -
    -
    -
halt
