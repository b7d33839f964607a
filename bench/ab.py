#!/usr/bin/env python3
"""Compares nifasm builds on one program, for deciding whether a change
makes nifasm faster:

    ab.py [--size 1e6 | --input FILE] [--rounds 21] [--args "-j 1"] BIN BIN...

Each round runs every build once, in turn, so the shared machine's load
falls on all of them alike.  For each build it prints the median and the
least wall time and the median CPU time (user + system, of the process and
its workers), and the median CPU time relative to the first build's.  All
builds must write the same executable, byte for byte, or ab.py fails:
a speed change must not change the output.

Why not instruction counts: callgrind counts are stable, but on this
machine a change that ran 6 % fewer instructions took 8 % more CPU time
(see docs/benchmark.md), so a change is judged by time, over many rounds.
"""
import argparse
import filecmp
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (bench/run.py: the program generator's cache)


def one_run(argv):
    """Wall and CPU milliseconds of one run; the run must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit('ab.py: %s failed (status %d): %s' %
                 (' '.join(argv), done.returncode, done.stderr.decode(errors='replace')))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1e3, cpu * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('builds', nargs='+', metavar='BIN', help='nifasm binaries to compare')
    ap.add_argument('--size', type=float, default=1e6, help='instructions of the generated program')
    ap.add_argument('--input', help='a NIF program to use instead of a generated one')
    ap.add_argument('--rounds', type=int, default=21)
    ap.add_argument('--args', default='', help='nifasm options for every run, e.g. "-j 1"')
    ap.add_argument('--dir', default=os.path.join('build', 'bench'), help='where programs are kept')
    a = ap.parse_args()
    src = a.input or os.path.join(run.generate(a.size, a.dir)[0], 'prog.nif')
    with tempfile.TemporaryDirectory() as tmp:
        outs = [os.path.join(tmp, '%d.out' % i) for i in range(len(a.builds))]
        argvs = [[b] + shlex.split(a.args) + [src, '-o', o] for b, o in zip(a.builds, outs)]
        times = [[] for _ in a.builds]
        for _ in range(a.rounds):
            for argv, t in zip(argvs, times):
                t.append(one_run(argv))
        for b, o in zip(a.builds[1:], outs[1:]):
            if not filecmp.cmp(outs[0], o, shallow=False):
                sys.exit('ab.py: %s and %s wrote different executables' % (a.builds[0], b))
    base = statistics.median(c for _, c in times[0])
    print('%10s %10s %10s %8s  build (%d rounds, %s)' % ('wall med', 'wall min', 'cpu med', 'cpu', a.rounds, src))
    for b, t in zip(a.builds, times):
        walls, cpus = [w for w, _ in t], [c for _, c in t]
        cpu = statistics.median(cpus)
        print('%10.1f %10.1f %10.1f %7.3fx  %s' % (statistics.median(walls), min(walls), cpu, cpu / base, b))


if __name__ == '__main__':
    main()
