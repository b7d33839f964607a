# Seed: only a-h can be renamed; i stays the pointer, so a ninth name fails.
# error: 5:5: no register left for `ninth`: `use` names a-h, which are all taken (i is the memory pointer and cannot be renamed)
# error: 6:5: `i` is a register, not a new register name
use r1 r2 r3 r4 r5 r6 r7 r8
use ninth
use i
halt
