"""The runner the scaling scripts share (bench/flow-scaling.py,
bench/relax-scaling.py): each case of a table of input generators at
several sizes n, run by one or more builds of nifasm with -j 1.  Prints one
table per measure (seconds, the best of --rounds runs; peak memory in MB),
a row per case and a column per build and size; --write DIR writes the
inputs into DIR (DIR/CASE-N.nif) and runs nothing."""
import argparse
import os
import subprocess
import sys
import tempfile
import time


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


def build_name(binary):
    """build/rel-x/bin/nifasm -> build/rel-x"""
    return binary[:-len('/bin/nifasm')] if binary.endswith('/bin/nifasm') else binary


def write_inputs(cases, table, sizes, folder):
    os.makedirs(folder, exist_ok=True)
    for c in cases:
        for n in sizes:
            with open(os.path.join(folder, '%s-%d.nif' % (c, n)), 'w') as f:
                f.write(table[c](n))


def measure(cases, table, sizes, bins, rounds):
    """{(case, n, binary): (seconds, megabytes)}"""
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'a.out')
        for c in cases:
            for n in sizes:
                path = os.path.join(tmp, '%s-%d.nif' % (c, n))
                with open(path, 'w') as f:
                    f.write(table[c](n))
                for b in bins:
                    res[c, n, b] = (min(seconds(b, path, out) for _ in range(rounds)),
                                    megabytes(b, path, out))
                os.unlink(path)
    return res


def print_tables(res, cases, sizes, bins):
    head = ['case'] + ['%s n=%s' % (build_name(b), f'{n:,}') for n in sizes for b in bins]
    for title, k, fmt in (('seconds (wall, the best of --rounds)', 0, '%.3f'), ('peak memory, MB', 1, '%.1f')):
        print('\n' + title + '\n')
        print('| ' + ' | '.join(head) + ' |')
        print('|' + '---|' * len(head))
        for c in cases:
            print('| %s | ' % c + ' | '.join(fmt % res[c, n, b][k] for n in sizes for b in bins) + ' |')


def main(table, default_sizes, doc):
    """A scaling script's command line: table maps a case's name to its
    generator (n -> NIF text)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sizes', default=default_sizes)
    ap.add_argument('--cases', default=','.join(table))
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--write', metavar='DIR')
    ap.add_argument('bins', nargs='*')
    a = ap.parse_args()
    sizes = [int(float(s)) for s in a.sizes.split(',')]
    cases = a.cases.split(',')
    if a.write:
        write_inputs(cases, table, sizes, a.write)
        return 0
    if not a.bins:
        ap.error('no nifasm to run')
    print_tables(measure(cases, table, sizes, a.bins, a.rounds), cases, sizes, a.bins)
    return 0
