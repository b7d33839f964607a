# check on a binary runs the loader's checks without running it; asm of a
# binary is refused, writing nothing.
# norun
# shell: $CPU8 asm $SRC -o $TMP/p.bin && $CPU8 check $TMP/p.bin
# shell: head -c 10 $TMP/p.bin > $TMP/t.bin; $CPU8 check $TMP/t.bin 2>$TMP/e; test $? = 1 && grep -q "not a valid cpu8 binary" $TMP/e
# shell: $CPU8 asm $SRC -o $TMP/p.bin; $CPU8 asm $TMP/p.bin -o $TMP/q.bin 2>$TMP/e; test $? = 1 && grep -q "is not source but cpu8 output; asm reads source" $TMP/e && test ! -e $TMP/q.bin
ldi a 42
ldi i 124
-
store a
halt
