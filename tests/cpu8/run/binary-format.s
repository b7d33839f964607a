# The binary is exactly as docs/cpu8.md draws it: "cpu8", version 1, 0,
# the count (3), the words little endian, then a u32 source line each.
#   ldi a 5     op 10, d 1, imm 5       -> a105
#   add b a a   op 1, d 2, a 1, b 1     -> 1211
#   halt        op 0, fn 0              -> 0000
# Assembling twice gives the same bytes.
# norun
# shell: test "$(od -An -tx1 -v $BIN | tr -d ' \n')" = "637075380100030005a1111200000a0000000b0000000c000000"
# shell: $CPU8 asm $SRC -o $TMP/again.bin && cmp $BIN $TMP/again.bin
ldi a 5
add b a a
halt
