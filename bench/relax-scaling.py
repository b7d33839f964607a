#!/usr/bin/env python3
"""Scaling of jump relaxation: one proc of n jumps to labels, laid out so
that the jumps' sizes depend on each other, each case at several sizes n,
for one or more builds of nifasm.  Prints one table per measure (seconds,
the best of --rounds runs; peak memory in MB), a row per case and a column
per build and size: a time that grows tenfold from n=1,000 to n=10,000 is
linear.

    bench/relax-scaling.py [--sizes 1e3,1e4,3e4,1e5] [--cases a,b] [--rounds 3] BIN...

--write DIR writes the inputs into DIR instead (DIR/CASE-N.nif) and runs
nothing.  Not part of `make test` (docs/benchmark.md, "Inputs that once
took more than linear time")."""
import sys

import scaling

MOVABS = '(mov (r11) +4886718345)'  # 10 bytes


def pad(nbytes):
    """Instructions of exactly nbytes bytes: 10-byte movabs and 1-byte nops."""
    return MOVABS * (nbytes // 10) + '(nop)' * (nbytes % 10)


def program(body):
    return '(stmts (mov (rdi) +0)' + body + '(mov (rax) +60)(syscall))'


def chain(n, last):
    """Jump i goes to a label just past jump i+1, 127 bytes away while
    jump i+1 is short (125 bytes of padding and its 2), 130 once it is
    near.  The last one jumps `last` bytes: with 128 it is near, and so,
    one after the other from the end, is every jump; with 127 all stay
    short."""
    out = ['(jmp l0.0)']
    for i in range(1, n):
        out.append(pad(125) + '(jmp l%d.0)(lab :l%d.0)' % (i, i - 1))
    out.append(pad(last) + '(lab :l%d.0)' % (n - 1))
    return program(''.join(out))


def chain_back(n):
    """Backward: jump i goes to a label just before jump i-1, 128 bytes
    back while both are short (2 + 124 + 2), 131 once jump i-1 is near.
    The first jumps back over 127 bytes and itself: near, and so, one after
    the other, is every jump."""
    out = ['(lab :l0.0)' + pad(127)]
    for i in range(n):
        out.append('(lab :l%d.0)(jmp l%d.0)' % (i + 1, i) + pad(124))
    return program(''.join(out))


def dense(n, w=63):
    """Jump i goes to a label just past jump i+w, over w short jumps (126
    bytes): one of them near is enough to make it near.  The last w jumps
    go over 128 bytes more: near, and so, w at a time from the end, is
    every jump.  Each jump's span holds the most jumps a short one can
    span."""
    out = []
    for i in range(n):
        out.append('(jmp l%d.0)' % i)
        if i >= w:
            out.append('(lab :l%d.0)' % (i - w))
    out.append(pad(128) + ''.join('(lab :l%d.0)' % i for i in range(max(n - w, 0), n)))
    return program(''.join(out))


CASES = {
    # a forward chain, growing from its end: as many passes as jumps before
    'chain': lambda n: chain(n, 128),
    # the same code with nothing growing: every jump short
    'chain-short': lambda n: chain(n, 127),
    # a backward chain, growing from its start
    'chain-back': chain_back,
    # n jumps over 63 others each, growing from the end
    'dense': dense,
}


if __name__ == '__main__':
    sys.exit(scaling.main(CASES, '1e3,1e4,3e4,1e5', __doc__))
