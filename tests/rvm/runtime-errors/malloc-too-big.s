# malloc over the 1 GiB heap limit.
# runtime-error: 4: malloc of 1073741825 bytes: the heap limit of 1 GiB would be exceeded
	ldi r1, $1073741825
	malloc r2, r1
	haltexe
