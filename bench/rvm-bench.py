#!/usr/bin/env python3
"""Measures the rvm dispatch rate on bench/rvm-loop.s.

    python3 bench/rvm-bench.py [RVM] [--runs N] [--callgrind]

Runs the loop N times (default 5) and reports the best wall time and the
rate in guest instructions per second.  With --callgrind it also counts the
host instructions per guest instruction on a 1,000,000-iteration copy of the
loop (exact and independent of machine load).
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOOP = os.path.join(HERE, 'rvm-loop.s')
PER_ITERATION = 4  # add, xor, dec, jifnz
OUTSIDE_LOOP = 4   # three ldi before the loop, haltexe after it


def guest_instructions(iterations):
    return PER_ITERATION * iterations + OUTSIDE_LOOP


def iterations_of(text):
    return int(re.search(r'ldi r1, \$(\d+)', text).group(1))


def best_time(rvm, path, runs):
    best = None
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([rvm, 'run', path], check=True)
        t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    return best


def callgrind(rvm, text):
    small = 1000000
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'loop.s')
        with open(src, 'w') as f:
            f.write(re.sub(r'ldi r1, \$\d+', 'ldi r1, $%d' % small, text))
        out = os.path.join(tmp, 'cg.out')
        p = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out, rvm, 'run', src],
                           capture_output=True, text=True, check=True)
        empty = src + '.empty.s'
        with open(empty, 'w') as f:
            f.write('\thaltexe\n')
        q = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=' + out, rvm, 'run', empty],
                           capture_output=True, text=True, check=True)
    refs = lambda s: int(re.search(r'Collected : (\d+)', s).group(1))
    return (refs(p.stderr) - refs(q.stderr)) / guest_instructions(small)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('rvm', nargs='?', default=os.path.join(HERE, '..', 'bin', 'rvm'))
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--callgrind', action='store_true')
    a = ap.parse_args()
    text = open(LOOP).read()
    n = guest_instructions(iterations_of(text))
    t = best_time(a.rvm, LOOP, a.runs)
    print('%d guest instructions, best of %d: %.3f s, %.0f million instructions/s'
          % (n, a.runs, t, n / t / 1e6))
    if a.callgrind:
        print('%.2f host instructions per guest instruction (callgrind)' % callgrind(a.rvm, text))


if __name__ == '__main__':
    main()
