# Warnings are printed by asm and check; --werror makes them errors.
# warning: 5:1: label 'spare' is never used
# shell: $RVM asm --werror $SRC -o $TMP/w.rbc 2>$TMP/err; test $? = 1 && test ! -e $TMP/w.rbc && grep -q "5:1: error: label 'spare' is never used" $TMP/err
# shell: $RVM check $SRC 2>$TMP/err2; test $? = 0 && grep -q "5:1: warning: label 'spare' is never used" $TMP/err2
spare:	haltexe
