# check assembles without writing: status 0 for a good program.
# shell: cd $TMP && $RVM check $OLDPWD/$SRC && test -z "$(ls $TMP | grep -v prog.rbc)"
	haltexe
