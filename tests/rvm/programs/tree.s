# A heap-using recursive program: build(d) allocates a complete binary tree
# of depth 10 (node: value d at +0, left at +8, right at +16), keeping its
# locals in a frame addressed from fp; sum and count walk it recursively;
# release frees it node by node, children first.
# 1023 nodes; the values sum to sum over levels L of (10 - L) * 2^L = 2036.
# exit: 244
# regs: r1 = 2036
# regs: r9 = 1023
# Under valgrind (an ASan build of rvm checks itself instead; valgrind 3.19
# cannot read clang 14's DWARF 5, so such a build runs bare too):
# shell: vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all"; nm $RVM | grep -q __asan_init && vg=; $vg $RVM --help >/dev/null 2>&1 || vg=; $vg $RVM run $OUT; test $? = 244
	ldi r2, $10
	call build
	cpy r20, r1               # the root
	cpy r2, r20
	ldi r9, $0
	call sum
	cpy r21, r1
	cpy r2, r20
	call release
	cpy r1, r21
	ldi r20, $0
	ldi r21, $0
	haltexe

build:                            # r1 = a tree of depth r2 (0: none)
	ldi r1, $0
	jifz r2, build_done
	cpy fp, sp
	push r2                   # fp - 8: depth
	ldi r3, $24
	malloc r4, r3
	push r4                   # fp - 16: node
	ldi r3, $8
	store r4, r3, r2
	dec r2
	call build
	ldi r3, $16
	call frame_slot           # r5 = fp - 16
	ldi r3, $8
	load r4, r3, r5
	add r6, r4, r3
	store r6, r3, r1          # node.left
	ldi r3, $8
	call frame_slot
	load r2, r3, r5
	dec r2
	call build
	ldi r3, $16
	call frame_slot
	ldi r3, $8
	load r4, r3, r5
	ldi r6, $16
	add r6, r4, r6
	store r6, r3, r1          # node.right
	cpy r1, r4
	pop r4
	pop r2
build_done:
	ldi r3, $0
	ldi r4, $0
	ldi r5, $0
	ldi r6, $0
	ret

frame_slot:                       # r5 = the caller's fp - r3
	ldi r7, $8
	add r5, sp, r7
	load r5, r7, r5           # the caller's fp, saved by call
	sub r5, r5, r3
	ldi r7, $0
	ret

sum:                              # r1 = sum of the values under r2; r9 += nodes
	ldi r1, $0
	jifz r2, sum_done
	inc r9
	push r2
	ldi r3, $8
	add r2, r2, r3
	load r2, r3, r2
	call sum                  # left
	pop r2
	push r1
	push r2
	ldi r3, $16
	add r2, r2, r3
	ldi r3, $8
	load r2, r3, r2
	call sum                  # right
	pop r2
	pop r4
	add r1, r1, r4
	ldi r3, $8
	load r4, r3, r2
	add r1, r1, r4            # + this node's value
	ldi r3, $0
	ldi r4, $0
sum_done:
	ret

release:                          # frees the tree r2
	jifz r2, release_done
	push r2
	ldi r3, $8
	add r2, r2, r3
	load r2, r3, r2
	call release
	pop r2
	push r2
	ldi r3, $16
	add r2, r2, r3
	ldi r3, $8
	load r2, r3, r2
	call release
	pop r2
	free r2
	ldi r3, $0
release_done:
	ldi r2, $0
	ret
