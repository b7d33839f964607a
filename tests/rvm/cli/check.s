# check assembles without writing: status 0 for a good program.  Given a
# .rbc, it runs the loader's checks only.
# shell: cd $TMP && $RVM check $OLDPWD/$SRC && test -z "$(ls $TMP | grep -v prog.rbc)"
# shell: $RVM check $OUT
# shell: head -c 30 $OUT > $TMP/t.rbc; $RVM check $TMP/t.rbc 2>$TMP/err; test $? = 1 && grep -q "t.rbc: error: bytecode: the file is 30 bytes" $TMP/err
	haltexe
