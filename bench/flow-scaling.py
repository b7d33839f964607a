#!/usr/bin/env python3
"""Scaling of the checker's flow: procs with many variables, branches,
loops, labels and jumps, each case at several sizes n, for one or more
builds of nifasm.  Prints one table per measure (seconds, the best of
--rounds runs; peak memory in MB), a row per case and a column per build
and size: a time that grows tenfold from n=1,000 to n=10,000 is linear.

    bench/flow-scaling.py [--sizes 1e3,1e4,4e4] [--cases a,b] [--rounds 3] BIN...

Not part of `make test` (docs/benchmark.md, "The checker's flow at scale")."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

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


def seconds(binary, path, out):
    """Wall time of one run."""
    t = time.perf_counter()
    p = subprocess.run([binary, '-j', '1', path, '-o', out], capture_output=True)
    t = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit('%s failed on %s:\n%s' % (binary, path, p.stderr.decode()[-2000:]))
    return t


def megabytes(binary, path, out):
    """Peak RSS of one run, from /usr/bin/time: the rusage of a child
    forked from Python counts Python's memory in its peak."""
    with tempfile.NamedTemporaryFile('r') as t:
        subprocess.run(['/usr/bin/time', '-o', t.name, '-f', '%M', binary, '-j', '1', path, '-o', out],
                       capture_output=True, check=True)
        return int(t.read().split()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sizes', default='1e3,1e4,4e4')
    ap.add_argument('--cases', default=','.join(CASES))
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('bins', nargs='+')
    a = ap.parse_args()
    sizes = [int(float(s)) for s in a.sizes.split(',')]
    cases = a.cases.split(',')
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'a.out')
        for c in cases:
            for n in sizes:
                path = os.path.join(tmp, '%s-%d.nif' % (c, n))
                with open(path, 'w') as f:
                    f.write(CASES[c](n))
                for b in a.bins:
                    res[c, n, b] = (min(seconds(b, path, out) for _ in range(a.rounds)),
                                    megabytes(b, path, out))
                os.unlink(path)
    head = ['case'] + ['%s n=%s' % (os.path.basename(b), f'{n:,}') for n in sizes for b in a.bins]
    for title, k, fmt in (('seconds (wall, the best of --rounds)', 0, '%.3f'), ('peak memory, MB', 1, '%.1f')):
        print('\n' + title + '\n')
        print('| ' + ' | '.join(head) + ' |')
        print('|' + '---|' * len(head))
        for c in cases:
            print('| %s | ' % c + ' | '.join(fmt % res[c, n, b][k] for n in sizes for b in a.bins) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
