# Command-line mistakes: status 1 and a message, nothing written.
# shell: $RVM asm $SRC 2>$TMP/e; test $? = 1 && grep -q 'asm needs an output file' $TMP/e
# shell: $RVM run $TMP/missing.s 2>$TMP/e; test $? = 1 && grep -q 'cannot read' $TMP/e
# shell: $RVM run /dev/null 2>$TMP/e; test $? = 1 && grep -q 'cannot read /dev/null: not a regular file' $TMP/e
# shell: $RVM run $SRC --frob 2>$TMP/e; test $? = 1 && grep -q "unknown option '--frob'" $TMP/e
# shell: $RVM frob $SRC 2>$TMP/e; test $? = 1 && grep -q "unknown command 'frob'" $TMP/e
	haltexe
