# A malloc within the guest's 1 GiB that the host cannot serve stops the
# run instead of crashing it.  Without a limit the program runs and exits
# 0; the shell check runs it in a 300 MB address space (not for an ASan
# build, whose shadow memory needs more).
# shell: if nm $RVM | grep -q __asan_init; then exit 0; fi; (ulimit -v 300000; exec $RVM run $OUT) 2>$TMP/err; test $? = 2 && grep -q "host-out-of-memory.s:7: runtime error: malloc of 524288000 bytes: the host is out of memory" $TMP/err
	ldi r2, $524288000
	malloc r3, r2
	free r3
	ldi r2, $0
	ldi r3, $0
	haltexe
