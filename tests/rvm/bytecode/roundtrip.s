# asm writes the layout of docs/rvm.md: magic, version, counts, words,
# constants, lines, path; the same input gives the same bytes.
# shell: od -An -tx1 -N20 $OUT | tr -d ' \n' > $TMP/h; test "$(cat $TMP/h)" = "7f52564d0100000002000000010000001e000000"
# shell: $RVM asm $SRC -o $TMP/again.rbc && cmp $OUT $TMP/again.rbc
# shell: test "$(tail -c 30 $OUT)" = tests/rvm/bytecode/roundtrip.s
# exit: 7
	ldi r1, $7
	haltexe
