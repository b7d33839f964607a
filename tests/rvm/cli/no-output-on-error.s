# A failed asm leaves no file, and does not replace an existing one.
# shell: echo keep > $TMP/out.rbc; printf 'frob\n' > $TMP/bad.s; $RVM asm $TMP/bad.s -o $TMP/out.rbc 2>/dev/null; test $? = 1 && test "$(cat $TMP/out.rbc)" = keep
# shell: printf 'frob\n' > $TMP/bad.s; $RVM asm $TMP/bad.s -o $TMP/new.rbc 2>/dev/null; test $? = 1 && test ! -e $TMP/new.rbc
	haltexe
