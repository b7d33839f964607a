# The limit counts every live block: two of 600 MiB do not fit.
# runtime-error: 6: realloc of 1258291200 bytes: the heap limit of 1 GiB would be exceeded
	ldi r1, $629145600
	malloc r2, r1
	add r3, r1, r1
	realloc r2, r2, r3
	haltexe
