# --help names the verbs and --regs, on stdout, with status 0.
# shell: $RVM --help > $TMP/help && grep -q '^usage: rvm asm PROG.s -o PROG.rbc' $TMP/help && grep -q -- '--regs' $TMP/help && grep -q 'check  assembles PROG.s' $TMP/help
	haltexe
