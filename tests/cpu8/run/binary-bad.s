# Binaries that are not what asm writes are refused (exit 1) with what is
# wrong: truncated, another version, a count past 256, a size that does not
# match, a bad register field, unused bits set.
# norun
# shell: printf 'cpu8\001\000\001\000' > $TMP/t.bin; $CPU8 run $TMP/t.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/t.bin: error: not a valid cpu8 binary: 8 bytes for 1 instructions" $TMP/e
# shell: printf 'cpu8\002\000\000\000' > $TMP/v.bin; $CPU8 run $TMP/v.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/v.bin: error: not a valid cpu8 binary: format version 2.0, expected 1.0" $TMP/e
# shell: printf 'cpu8\001\000\001\001' > $TMP/n.bin; $CPU8 run $TMP/n.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/n.bin: error: not a valid cpu8 binary: 257 instructions, at most 256" $TMP/e
# shell: printf 'cpu8\001\000\001\000\013\022\000\000\000\000' > $TMP/r.bin; $CPU8 run $TMP/r.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/r.bin: error: not a valid cpu8 binary: word 0 (0x120b): bad register" $TMP/e
# shell: printf 'cpu8\001\000\001\000\001\341\000\000\000\000' > $TMP/u.bin; $CPU8 run $TMP/u.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/u.bin: error: not a valid cpu8 binary: word 0 (0xe101): unused bits set" $TMP/e
# shell: printf 'cpu8\001\000\001\000\000\323\000\000\000\000' > $TMP/c.bin; $CPU8 run $TMP/c.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/c.bin: error: not a valid cpu8 binary: word 0 (0xd300): bad condition" $TMP/e
# shell: printf 'cpu8\001\000\001\000\000\002\000\000\000\000' > $TMP/o.bin; $CPU8 run $TMP/o.bin 2>$TMP/e; test $? = 1 && grep -qx "$TMP/o.bin: error: not a valid cpu8 binary: word 0 (0x0200): unknown operation" $TMP/e
# shell: printf 'cpu8\001\000\001\000\000\000\000\000\000\000' > $TMP/h.bin; $CPU8 run $TMP/h.bin 2>$TMP/e; test $? = 0 && grep -qx "cycles: 1" $TMP/e
halt
