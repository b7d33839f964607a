#!/usr/bin/env python3
"""Differential test of the checker's flow: generates random procs full of
variables (in registers and on the stack), cfvars, blocks, kills, writes,
reads, clobbers, ites, loops, labels and jumps forward and back, runs two
builds of nifasm on each file, with and without `-d c`, and compares exit
status, stdout, stderr and the output file's bytes.  A change to how the
flow is stored or joined must not change what nifasm says:

    python3 tests/fuzz/flowgen.py [--count N] [--seed S] [--out DIR]
                                  [--mutants M] [--jobs J] BASE NEW

--mutants M also compares M mutants of the suite's .nif files
(tests/fuzz/mutate.py's mutations).  A file on which the builds differ is
kept in DIR (default /tmp/nifasm-flowgen) and named on a FAIL line; the
last line is `flowgen: N programs, M mutants, K differences`, and the
status is 1 when K is not 0.  Not part of `make test` (docs/testing.md).

Most programs are wrong somewhere (a variable read after its kill, a
register taken twice, a test of a cfvar that may or may not be set):
the messages are what is compared.  The procs are shaped so that the
cases a join cares about come often: jumps at the top to labels that
come after many variables, control falling into those labels after a
write, labels in blocks that have ended, more than 16 variables in scope
(a flow's tree of more than one leaf)."""
import argparse
import concurrent.futures
import glob
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from mutate import NIF_TOKENS, mutate  # noqa: E402

REGS = ['rsi', 'rdi', 'r8', 'r9', 'r10', 'r11']
CLOBBER = '(clobber (rcx) (rdx) (rsi) (rdi) (r8) (r9) (r10) (r11))'
CONDS = ['(e)', '(ne)', '(l)', '(ge)']


class Proc:
    """What a proc's generator has made: the variables in scope (name,
    kind: 's' stack, 'r' register, 'c' cfvar), the cfvars tested, labels."""

    def __init__(self, rnd, labels, clean):
        self.rnd = rnd
        self.made = 0
        self.scope = []
        self.tested = set()
        self.labels = ['L%d.0' % i for i in range(labels)]
        self.undefined = list(self.labels)
        self.budget = 0
        # a clean proc assembles: stack variables only, written and never
        # read, killed or clobbered, no cfvars, jumps only forward
        self.clean = clean

    def new_name(self, kind):
        name = '%s%d.0' % ('c' if kind == 'c' else 'x', self.made)
        self.made += 1
        self.scope.append((name, kind))
        return name

    def some_var(self, kinds='sr'):
        """A variable in scope, most often a recent one; None if none."""
        vs = [v for v, k in self.scope if k in kinds and (k != 'c' or v not in self.tested
                                                            or self.rnd.random() < 0.1)]
        if not vs:
            return None
        return vs[-1 - min(len(vs) - 1, int(self.rnd.expovariate(0.15)))]


def declare(p):
    r = p.rnd.random() * (0.55 if p.clean else 1)
    if r < 0.55:
        init = ' +%d' % p.rnd.randrange(9) if p.rnd.random() < 0.5 else ''
        return '(var :%s (s) (i +64)%s)' % (p.new_name('s'), init)
    if r < 0.8:
        return '(var :%s (%s) (i +64) +1)' % (p.new_name('r'), p.rnd.choice(REGS))
    return '(cfvar :%s)' % p.new_name('c')


def use(p):
    """A write, a read, a kill or a clobber of a variable."""
    v = p.some_var()
    if v is None:
        return '(mov (rcx) +1)'
    r = p.rnd.random()
    if r < 0.35 or p.clean:
        return '(mov %s +%d)' % (v, p.rnd.randrange(5))
    if r < 0.6:
        return '(add %s +1)' % v
    if r < 0.75:
        return '(cmp %s +%d)' % (v, p.rnd.randrange(3))
    if r < 0.9:
        return '(kill %s)' % v
    return '(mov (%s) +2)' % p.rnd.choice(REGS)


def jump(p):
    if p.clean and not p.undefined:
        return '(mov (rcx) +1)'
    label = p.rnd.choice(p.undefined if p.clean else p.labels)
    if p.rnd.random() < 0.25:
        return '(jmp %s)' % label
    return '(cmp (rdx) +%d)(%s %s)' % (p.rnd.randrange(7), p.rnd.choice(['je', 'jne', 'jl']), label)


def define_label(p):
    if not p.undefined:
        return jump(p)
    label = p.undefined.pop(p.rnd.randrange(len(p.undefined)))
    return '(lab :%s)' % label


def cfvar_stmt(p, depth):
    c = p.some_var('c')
    if c is None:
        return declare(p)
    if p.rnd.random() < 0.35:
        names = {c, p.some_var('c') or c}
        return '(jtrue %s)' % ' '.join(sorted(names))
    p.tested.add(c)
    return '(ite %s %s %s)' % (c, block(p, depth + 1), block(p, depth + 1))


def ite(p, depth):
    return '(cmp (rdx) +%d)(ite %s %s %s)' % (p.rnd.randrange(5), p.rnd.choice(CONDS),
                                               block(p, depth + 1), block(p, depth + 1))


def loop(p, depth):
    mark = len(p.scope)  # what pre declares is in scope in the body and after
    pre = stmts(p, depth + 1) + '(cmp (rdx) +9)'
    s = '(loop (stmts %s) (l) %s %s)' % (pre, block(p, depth + 1), block(p, depth + 1))
    del p.scope[mark:]
    return s


def statement(p, depth):
    r = p.rnd.random()
    if depth >= 4 and r >= 0.62:
        r = p.rnd.random() * 0.62
    if r < 0.18:
        return declare(p)
    if r < 0.42:
        return use(p)
    if r < 0.52:
        return jump(p)
    if r < 0.62:
        return define_label(p)
    if r < 0.72:
        return block(p, depth + 1) if p.clean else cfvar_stmt(p, depth)
    if r < 0.82:
        return ite(p, depth)
    if r < 0.9:
        return loop(p, depth)
    return block(p, depth + 1)


def stmts(p, depth):
    n = min(p.budget, p.rnd.randrange(5 if depth else 40))
    p.budget -= n
    return ''.join(statement(p, depth) for _ in range(n))


def block(p, depth):
    mark = len(p.scope)
    s = '(stmts %s)' % stmts(p, depth)
    del p.scope[mark:]
    return s


def fall_in_labels(p):
    """Jumps at the top to labels that fall_in puts after many variables."""
    labels = [p.undefined.pop() for _ in range(min(p.rnd.randrange(1, 6), len(p.undefined)))]
    return labels, ''.join('(cmp (rdx) +%d)(je %s)' % (i, lab) for i, lab in enumerate(labels))


def fall_in(p, labels):
    """Many variables, then the labels, control falling into each after a
    write: the joins that settle states."""
    decl = ''.join(declare(p) for _ in range(p.rnd.randrange(10, 60)))
    return decl + ''.join(use(p) + (stmts(p, 1) if p.rnd.random() < 0.3 else '') + '(lab :%s)' % lab
                          for lab in labels)


def proc(rnd, name, clean):
    p = Proc(rnd, rnd.randrange(2, 12), clean)
    p.budget = rnd.randrange(20, 200)
    labels, body = fall_in_labels(p) if rnd.random() < 0.6 else ([], '')
    body += stmts(p, 0)
    body += fall_in(p, labels) if labels else ''
    body += stmts(p, 0)
    body += ''.join('(lab :%s)' % lab for lab in p.undefined)
    return ('(proc :%s (result :r.0 (rax) (i +64)) %s (body (sub (rsp) (ssize)) %s'
            '(add (rsp) (ssize)) (mov (rax) +0) (ret)))' % (name, CLOBBER, body))


def program(seed):
    rnd = random.Random(seed)
    clean = rnd.random() < 0.3
    return '(stmts %s)\n' % ''.join(proc(rnd, 'p%d.0' % i if i else 'main.0', clean) for i in range(rnd.randrange(1, 4)))


def run(binary, path, extra):
    out = path + '.out'
    if os.path.exists(out):
        os.unlink(out)
    try:
        p = subprocess.run([binary] + extra + [path, '-o', out], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return ('timeout',)
    data = None
    if os.path.exists(out):
        with open(out, 'rb') as f:
            data = f.read()
        os.unlink(out)
    return (p.returncode, p.stdout, p.stderr, data)


def compare(a, job):
    """Runs both builds on one file; returns a description of the first
    difference, or None."""
    kind, n, data = job
    path = os.path.join(a.out, 'work-%s-%d.nif' % (kind, n))
    with open(path, 'wb') as f:
        f.write(data)
    why = None
    for extra in ([], ['-d', 'c']):
        x, y = run(a.base, path, extra), run(a.new, path, extra)
        if x != y:
            parts = ['status', 'stdout', 'stderr', 'output'] if len(x) == len(y) == 4 else ['timeout']
            why = ' '.join(extra) + ' ' + ', '.join(w for w, i, j in zip(parts, x, y) if i != j)
            break
    if why is None:
        os.unlink(path)
        return None
    keep = os.path.join(a.out, 'diff-%s-%d.nif' % (kind, n))
    os.replace(path, keep)
    return 'FAIL %s: %s' % (keep, why.strip())


def jobs(a):
    for i in range(a.count):
        yield ('prog', i, program(a.seed * 1000003 + i).encode())
    if a.mutants:
        files = sorted(glob.glob(os.path.join(ROOT, 'tests/nifasm/**/*.nif'), recursive=True)
                       + glob.glob(os.path.join(ROOT, 'examples/*.nif')))
        seeds = [open(f, 'rb').read() for f in files]
        rnd = random.Random(a.seed)
        for i in range(a.mutants):
            yield ('mutant', i, mutate(rnd.choice(seeds), rnd, NIF_TOKENS))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--count', type=int, default=2000, help='random programs')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--mutants', type=int, default=0, help="mutants of the suite's files")
    ap.add_argument('--out', default='/tmp/nifasm-flowgen')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('base')
    ap.add_argument('new')
    a = ap.parse_args()
    a.base, a.new = os.path.abspath(a.base), os.path.abspath(a.new)
    os.makedirs(a.out, exist_ok=True)
    fails = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for r in pool.map(lambda j: compare(a, j), jobs(a)):
            if r:
                fails += 1
                print(r, flush=True)
    print('flowgen: %d programs, %d mutants, %d differences' % (a.count, a.mutants, fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
