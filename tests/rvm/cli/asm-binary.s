# asm of a bytecode file is refused, writing nothing; check of one runs the
# loader's checks.
# shell: $RVM asm $SRC -o $TMP/p.rbc && $RVM asm $TMP/p.rbc -o $TMP/q.rbc 2>$TMP/e; test $? = 1 && grep -q "is not source but rvm output; asm reads source" $TMP/e && test ! -e $TMP/q.rbc
# shell: $RVM asm $SRC -o $TMP/p.rbc && $RVM check $TMP/p.rbc
	ldi r1, $0
	haltexe
