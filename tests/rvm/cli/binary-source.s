# Random bytes are bad input, never a crash: as source (no magic) they are
# assembler errors; with the magic they are bytecode errors.
# shell: head -c 4096 /dev/urandom > $TMP/r.s; $RVM run $TMP/r.s 2>/dev/null; test $? = 1
# shell: (printf '\177RVM'; head -c 4096 /dev/urandom) > $TMP/r.rbc; $RVM run $TMP/r.rbc 2>/dev/null; test $? = 1
	haltexe
