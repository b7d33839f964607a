#!/usr/bin/env python3
"""Writes a NIF file of about SIZE megabytes that looks like code generator
output (procs with moves, arithmetic, memory operands, line information,
strings) for measuring the reader:  gen-reader-input.py SIZE_MB OUT"""
import random
import sys

LINES = [
    '(mov (rax) (mem (dot p.{i} x)))',
    '(add (rcx) +{n})',
    '(lea (rsi) (at arr.{i} (rdx)))',
    '(cmp (rdi) -{n})',
    '(jne L.{i})',
    '(mov (mem (rsp) +{n}) (rbx))',
    '(sub (r8) (r9))',
    '(call foo.{i}.mod (mov a.0 x.{i}) (mov r.0 y.0))',
    '(rodata :s.{i} "text {n}\\0A")',
    '(xor (eax) (eax))',
]


def main():
    size = int(float(sys.argv[1]) * 1e6)
    rnd = random.Random(42)
    out = ['(.nif24)\n(stmts\n']
    total = 0
    i = 0
    while total < size:
        chunk = ['4,%d,gen%d.nim(proc :p.%d (body\n' % (i + 1, i % 7, i)]
        for k in range(40):
            line = LINES[rnd.randrange(len(LINES))].format(i=i, n=rnd.randrange(100000))
            chunk.append('  %d,1%s\n' % (k % 9, line))
        chunk.append('))\n')
        s = ''.join(chunk)
        out.append(s)
        total += len(s)
        i += 1
    out.append(')\n')
    with open(sys.argv[2], 'w') as f:
        f.write(''.join(out))


if __name__ == '__main__':
    main()
