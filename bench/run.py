#!/usr/bin/env python3
"""Benchmarks nifasm against GNU as + ld, NASM + ld, YASM + ld and fasm on
programs written by bench/gen.py, and prints one table per size:

    run.py --nifasm bin/nifasm [--sizes "1e4 1e5 1e6"] [--runs 5] [--dir build/bench]

Each tool turns the program into an executable (the peers that write object
files are followed by ld, and both steps are timed).  The runs of the tools
are interleaved, so a noisy neighbour slows all of them alike; a tool's time
is the median of its runs, its peak RSS the largest of any step (from
bench/measure.c).  Every executable is run and all must exit normally (not
killed by a signal) with the same status, and nifasm's with and without
-j 1 must be the same bytes, or the benchmark fails.  nasm
runs with -O1 as well as its default (-Ox), which is quadratic on these
programs and so only measured up to 1e5.  --smoke also checks with objdump
that nifasm and as + ld emitted the same number of instructions as the
generator counted.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


NASM_OX_MAX = 1e5  # nasm's default -Ox is quadratic here: 12 s at 1e5, ~20 min at 1e6


def tools(nifasm, size, d):
    """name, input file, steps (argv lists), output executable."""
    fasm_kb = max(65536, 8 * os.path.getsize(os.path.join(d, 'prog.fasm')) // 1024)
    tl = [
        ('nifasm', 'prog.nif', [[nifasm, 'prog.nif', '-o', 'nifasm.out']], 'nifasm.out'),
        # the same in one process: without -j, nifasm uses one per CPU on big files
        ('nifasm -j 1', 'prog.nif', [[nifasm, '-j', '1', 'prog.nif', '-o', 'nifasm1.out']], 'nifasm1.out'),
        # how much of nifasm's time one reading of the file takes (it reads twice)
        ('nifasm --parse-only', 'prog.nif', [[nifasm, '--parse-only', 'prog.nif']], None),
        ('as + ld', 'prog.s', [['as', 'prog.s', '-o', 'as.o'], ['ld', 'as.o', '-o', 'as.out']], 'as.out'),
        ('fasm', 'prog.fasm', [['fasm', '-m', str(fasm_kb), 'prog.fasm', 'fasm.out']], 'fasm.out'),
        ('yasm + ld', 'prog.asm', [['yasm', '-f', 'elf64', 'prog.asm', '-o', 'yasm.o'],
                                   ['ld', 'yasm.o', '-o', 'yasm.out']], 'yasm.out'),
        ('nasm -O1 + ld', 'prog.asm', [['nasm', '-O1', '-f', 'elf64', 'prog.asm', '-o', 'nasm1.o'],
                                       ['ld', 'nasm1.o', '-o', 'nasm1.out']], 'nasm1.out'),
    ]
    if size <= NASM_OX_MAX:
        tl.append(('nasm + ld', 'prog.asm', [['nasm', '-f', 'elf64', 'prog.asm', '-o', 'nasm.o'],
                                             ['ld', 'nasm.o', '-o', 'nasm.out']], 'nasm.out'))
    return tl


def run_step(argv, cwd, measure):
    """Runs one step through bench/measure.c; returns (seconds, peak RSS in KB)."""
    proc = subprocess.run([measure] + argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.decode(errors='replace').splitlines()
    if proc.returncode != 0:
        sys.exit('%s failed (%d) in %s:\n%s' % (' '.join(argv), proc.returncode, cwd, '\n'.join(err[-20:])))
    seconds, rss = err[-1].split()
    return float(seconds), int(rss)


def run_tool(tool, cwd, measure):
    name, _, steps, out = tool
    total, rss = 0.0, 0
    for argv in steps:
        s, r = run_step(argv, cwd, measure)
        total += s
        rss = max(rss, r)
    if out:
        os.chmod(os.path.join(cwd, out), 0o755)  # fasm writes 0644
    return total, rss


def generate(size, root):
    """Writes the program of `size` instructions (once: kept while gen.py is unchanged)."""
    d = os.path.abspath(os.path.join(root, '%g' % size))
    meta = os.path.join(d, 'prog.json')
    gen = os.path.join(HERE, 'gen.py')
    if not os.path.exists(meta) or os.path.getmtime(meta) < os.path.getmtime(gen):
        subprocess.run([sys.executable, gen, str(int(size)), d], check=True)
    with open(meta) as f:
        return d, json.load(f)


def exit_statuses(d, tl):
    codes = {}
    for name, _, _, out in tl:
        if out:
            codes[name] = subprocess.run([os.path.join(d, out)], cwd=d).returncode
    if len(set(codes.values())) != 1:
        sys.exit('exit statuses differ: %s' % codes)
    if any(c < 0 for c in codes.values()):  # -N: killed by signal N, a crash
        sys.exit('every executable was killed by a signal: %s' % codes)
    return codes


def count_instructions(path):
    """Machine instructions in an executable's .text, without int3 padding."""
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', path], capture_output=True,
                         text=True, check=True).stdout
    return sum(1 for line in out.splitlines()
               if line.startswith('  ') and ':\t' in line and not line.rstrip().endswith('int3'))


def check_counts(d, meta):
    for exe in ('nifasm.out', 'as.out'):
        n = count_instructions(os.path.join(d, exe))
        if n != meta['instructions']:
            sys.exit('%s has %d instructions, the generator counted %d' % (exe, n, meta['instructions']))


def measure(size, args):
    d, meta = generate(size, args.dir)
    tl = tools(os.path.abspath(args.nifasm), size, d)
    args.measure = os.path.abspath(args.measure)
    times = {t[0]: [] for t in tl}
    rss = {t[0]: 0 for t in tl}
    for _ in range(args.runs):  # interleaved: noise hits every tool alike
        for t in tl:
            s, r = run_tool(t, d, args.measure)
            times[t[0]].append(s)
            rss[t[0]] = max(rss[t[0]], r)
    codes = exit_statuses(d, tl)
    with open(os.path.join(d, 'nifasm.out'), 'rb') as a, open(os.path.join(d, 'nifasm1.out'), 'rb') as b:
        if a.read() != b.read():
            sys.exit('nifasm wrote different executables with and without -j 1')
    if args.smoke:
        check_counts(d, meta)
    rows = []
    for name, src, _, _ in tl:
        mb = os.path.getsize(os.path.join(d, src)) / 1e6
        rows.append({'tool': name, 'seconds': statistics.median(times[name]), 'input_mb': mb,
                     'rss_mb': rss[name] / 1024.0})
    return meta, rows, codes


def print_table(size, meta, rows, status):
    base = rows[0]['seconds']
    print('\n%s instructions (%d procs), exit status %d from every executable'
          % (f"{meta['instructions']:,}", meta['procs'], status))
    print('| tool | time (s) | instructions/s | input MB/s | peak RSS (MB) | RSS / input | time / nifasm |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for r in rows:
        s = r['seconds']
        print('| %s | %.3f | %s | %.1f | %.1f | %.2f | %.1fx |' % (
            r['tool'], s, f"{meta['instructions'] / s:,.0f}", r['input_mb'] / s, r['rss_mb'],
            r['rss_mb'] / r['input_mb'], s / base))
    sys.stdout.flush()


def print_scaling(results):
    names = [r['tool'] for r in results[0][2]]
    print('\nScaling: nanoseconds per instruction (constant = linear time)')
    print('| instructions | ' + ' | '.join(names) + ' |')
    print('|---:|' + '---:|' * len(names))
    for _, meta, rows in results:
        n = meta['instructions']
        per = {r['tool']: '%.0f' % (r['seconds'] / n * 1e9) for r in rows}
        print('| %s | ' % f'{n:,}' + ' | '.join(per.get(name, '-') for name in names) + ' |')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nifasm', required=True)
    ap.add_argument('--measure', required=True, help='the launcher built from bench/measure.c')
    ap.add_argument('--sizes', default='1e4 1e5 1e6')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--dir', default='build/bench')
    ap.add_argument('--smoke', action='store_true')
    args = ap.parse_args()
    print('machine: %d cores, %s' % (os.cpu_count(), os.uname().release))
    results = []
    for size in (float(s) for s in args.sizes.split()):
        meta, rows, codes = measure(size, args)
        status = next(iter(codes.values()))
        print_table(size, meta, rows, status)
        results.append((size, meta, rows))
    if len(results) > 1:
        print_scaling(results)


if __name__ == '__main__':
    main()
