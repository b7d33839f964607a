#!/usr/bin/env python3
"""Scaling of the checker's flow: procs with many variables, branches,
loops, labels and jumps, each case at several sizes n, for one or more
builds of nifasm.  Prints one table per measure (seconds, the best of
--rounds runs; peak memory in MB), a row per case and a column per build
and size: a time that grows tenfold from n=1,000 to n=10,000 is linear.

    bench/flow-scaling.py [--sizes 1e3,1e4,4e4] [--cases a,b] [--rounds 3] BIN...

--write DIR writes the inputs into DIR instead (DIR/CASE-N.nif) and runs
nothing (bench/scaling.py runs both scripts).

Not part of `make test` (docs/benchmark.md, "The checker's flow at scale")."""
import sys

import scaling

C = '(clobber (rcx) (rdx) (rsi) (rdi) (r8) (r9) (r10) (r11))'
VB = '(stmts (var :x.0 (rcx) (i +64) +1) (add x.0 +1))'  # a block with one variable


def proc(body):
    return f'(stmts (proc :main.0 (result :r.0 (rax) (i +64)) {C} (body {body} (mov (rax) +0) (ret))))'


def locals_(n):
    decl = ''.join(f'(var :x{i}.0 (s) (i +64))' for i in range(n))
    ites = ''.join(f'(mov (rcx) x{i}.0)(cmp (rcx) +0)(ite (l) (stmts (mov x{i}.0 (rcx))) (stmts))'
                   for i in range(n))
    return proc(decl + '(sub (rsp) (ssize))' + ites + '(add (rsp) (ssize))')


def loop_reads(n):
    decl = ''.join(f'(var :x{i}.0 (s) (i +64))' for i in range(n))
    reads = ''.join(f'(add (rax) x{i}.0)' for i in range(n))
    return proc(decl + '(sub (rsp) (ssize))(mov (rcx) +0)(loop (stmts (cmp (rcx) +9)) (l) (stmts '
                + reads + '(add (rcx) +1)) (stmts))(add (rsp) (ssize))')


def jumps_one_label(n):
    body = ''.join(f'(var :x{i}.0 (s) (i +64))(cmp (rcx) +0)(jne end.0)' for i in range(n))
    return proc('(sub (rsp) (ssize))' + body + '(lab :end.0)(add (rsp) (ssize))')


def jumps_many_labels(n):
    jumps = ''.join(f'(cmp (rcx) +{i % 7})(je l{i}.0)' for i in range(n))
    decl = ''.join(f'(var :x{i}.0 (s) (i +64))' for i in range(n))
    labels = ''.join(f'(jmp end.0)(lab :l{i}.0)' for i in range(n))
    return proc('(sub (rsp) (ssize))' + jumps + decl + labels + '(lab :end.0)(add (rsp) (ssize))')


def jumps_back_ended(n):
    decl = ''.join(f'(var :x{i}.0 (s) (i +64))(kill x{i}.0)' for i in range(n))
    return proc('(sub (rsp) (ssize))(stmts ' + decl + '(lab :in.0))(cmp (rdx) +1)' + '(jne in.0)' * n
                + '(add (rsp) (ssize))')


def jumps_fall_in(n):
    jumps = ''.join(f'(cmp (rdx) +{i % 7})(je l{i}.0)' for i in range(n))
    decl = ''.join(f'(var :x{i}.0 (s) (i +64))' for i in range(n))
    labels = ''.join(f'(add y.0 +1)(lab :l{i}.0)' for i in range(n))
    return proc('(sub (rsp) (ssize))(var :y.0 (rcx) (i +64) +1)' + jumps + decl + labels + '(add (rsp) (ssize))')


LOOP = '(loop (stmts (cmp (rcx) +9)) (l) (stmts '
CASES = {
    # n blocks of one variable, each followed by an ite
    'block-ite': lambda n: proc((VB[:-1] + '(cmp x.0 +0)(ite (l) (stmts (add x.0 +1)) (stmts)))') * n),
    # n stack variables in scope at once, an ite on each
    'locals-ite': locals_,
    # n ended blocks, then n ites
    'ite': lambda n: proc(VB * n + '(cmp (rcx) +0)' + '(ite (l) (stmts (add (rcx) +1)) (stmts))' * n),
    # n ended blocks, then n loops
    'loop': lambda n: proc(VB * n + '(mov (rcx) +0)' + (LOOP + '(add (rcx) +1)) (stmts))') * n),
    # n ended blocks, a label, n jumps back to it
    'jump-back': lambda n: proc(VB * n + '(lab :top.0)(cmp (rcx) +0)' + '(jne top.0)' * n),
    # n blocks, each followed by a label
    'labels': lambda n: proc(''.join(VB + f'(lab :l{i}.0)' for i in range(n))),
    # n stack variables, each followed by a jump to one label after them
    'jumps-one-label': jumps_one_label,
    # n jumps to n labels, which come after n stack variables
    'jumps-many-labels': jumps_many_labels,
    # a block of n variables, all killed, with a label at its end; n jumps back to it
    'jumps-back-ended': jumps_back_ended,
    # n jumps to n labels after n stack variables, each label also reached by
    # falling in after a write (quadratic until the states' marks, docs/benchmark.md)
    'jumps-fall-in': jumps_fall_in,
    # n ended blocks, then a loop that reads one variable n times
    'loop-reads-1': lambda n: proc(VB * n + '(var :y.0 (rdx) (i +64) +1)(mov (rcx) +0)' + LOOP
                                   + '(add (rax) y.0)' * n + '(add (rcx) +1)) (stmts))'),
    # n stack variables, a loop that reads each
    'loop-reads-n': loop_reads,
    # 100 nested loops, the innermost reading one variable n times
    'nested-100': lambda n: proc('(var :y.0 (rdx) (i +64) +1)(mov (rcx) +0)' + LOOP * 100
                                 + '(add (rax) y.0)' * n + '(add (rcx) +1)) (stmts))' * 100),
}


if __name__ == '__main__':
    sys.exit(scaling.main(CASES, '1e3,1e4,4e4', __doc__))
