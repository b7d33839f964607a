# The command line: help, usage errors, bad options, unreadable files.
# stdout: 6
# cycles: 5
# shell: $CPU8 --help | grep -q -- '--max-cycles N'
# shell: $CPU8 --help | grep -q 'cpu8 asm PROG.s -o PROG.bin'
# shell: ! $CPU8 run 2>/dev/null
# shell: ! $CPU8 asm $SRC 2>$TMP/e && grep -qx 'cpu8: error: asm needs an output file: -o PROG.bin' $TMP/e
# shell: ! $CPU8 frob $SRC 2>$TMP/e && grep -q "unknown command 'frob'" $TMP/e
# shell: $CPU8 run $SRC --max-cycles x 2>$TMP/e; test $? = 1 && grep -qx 'cpu8: error: --max-cycles needs a positive number of cycles' $TMP/e
# shell: $CPU8 run $SRC --max-cycles 0 2>/dev/null; test $? = 1
# shell: $CPU8 run $SRC --max-cycles 2>/dev/null; test $? = 1
# shell: $CPU8 run $SRC --bogus 2>$TMP/e; test $? = 1 && grep -q "unknown option '--bogus'" $TMP/e
# shell: $CPU8 run $TMP/nothing.s 2>$TMP/e; test $? = 1 && grep -q 'cannot read' $TMP/e
# shell: $CPU8 run /dev/null 2>$TMP/e; test $? = 1 && grep -q 'cannot read /dev/null: not a regular file' $TMP/e
ldi a 6
ldi i 124
-
store a
halt
