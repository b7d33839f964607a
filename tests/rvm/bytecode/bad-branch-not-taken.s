# A conditional branch to a bad target is harmless while it is not taken:
# jifz's K field (bytes 32-35) becomes 1000; r1 is not zero.
# patch: 32 e8 03
# exit: 3
	ldi r1, $3
	jifz r1, end
end:	haltexe
