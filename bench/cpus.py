#!/usr/bin/env python3
"""Measures how much this machine's CPUs give right now, for reading a
`make bench` table taken on a shared host:

    cpus.py [--size 1e6 | --input FILE] [--rounds 15] BIN

Each round runs, one after the other: `BIN -j 1` pinned to the first CPU
this process may use, then pinned to the second, then both at once (one
on each CPU), then `BIN` without options (two processes at 10^6).  It
prints each round and the medians.

On a machine whose two CPUs are two real cores, a run on either CPU alone
takes the same time, and two at once take as long as one.  When the
host's other load takes part of a CPU, or places both virtual CPUs on one
physical core, the runs alone differ and the pair takes longer: its time
over the slower single run ("pair / alone") says how much of a second CPU
the host gave in that round.  nifasm's ratio to the single-process peers
in `make bench` moves with it (docs/benchmark.md, "Where the targets
stand").
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (bench/run.py: the program generator's cache)


def timed(argvs):
    """Milliseconds of wall time for the commands, started together."""
    start = time.perf_counter()
    procs = [subprocess.Popen(a, stdout=subprocess.DEVNULL) for a in argvs]
    for p, a in zip(procs, argvs):
        if p.wait() != 0:
            sys.exit('cpus.py: %s failed (status %d)' % (' '.join(a), p.returncode))
    return (time.perf_counter() - start) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('nifasm', metavar='BIN', help='the nifasm binary to run')
    ap.add_argument('--size', type=float, default=1e6, help='instructions of the generated program')
    ap.add_argument('--input', help='a NIF program to use instead of a generated one')
    ap.add_argument('--rounds', type=int, default=15)
    ap.add_argument('--dir', default=os.path.join('build', 'bench'), help='where programs are kept')
    a = ap.parse_args()
    cpu = sorted(os.sched_getaffinity(0))
    if len(cpu) < 2:
        sys.exit('cpus.py: needs two CPUs, and may run on only %d' % len(cpu))
    src = a.input or os.path.join(run.generate(a.size, a.dir)[0], 'prog.nif')
    with tempfile.TemporaryDirectory() as tmp:
        def one(k):
            return ['taskset', '-c', str(cpu[k]), a.nifasm, '-j', '1', src, '-o', os.path.join(tmp, '%d.out' % k)]
        rows = []
        print('%9s %9s %9s %9s %12s' % ('cpu %d' % cpu[0], 'cpu %d' % cpu[1], 'pair', 'default', 'pair / alone'))
        for _ in range(a.rounds):
            row = (timed([one(0)]), timed([one(1)]), timed([one(0), one(1)]),
                   timed([[a.nifasm, src, '-o', os.path.join(tmp, 'j.out')]]))
            rows.append(row)
            print('%9.1f %9.1f %9.1f %9.1f %12.2f' % (row + (row[2] / max(row[0], row[1]),)), flush=True)
        med = [statistics.median(r[i] for r in rows) for i in range(4)]
        print('%9.1f %9.1f %9.1f %9.1f %12s  medians (ms)' % tuple(med + ['']))


if __name__ == '__main__':
    main()
