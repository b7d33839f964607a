# warning: 2:1: label 'spare' is never used
spare:	ldi r1, $3
used:	dec r1
	jifnz r1, used
	haltexe
# exit: 0
