#!/usr/bin/env python3
"""Mutation fuzzing of nifasm: takes the .nif files of the suite, mutates
them (byte flips, deletions, insertions, token swaps, truncations) and runs
nifasm on each mutant.  Any exit status other than 0 or 1, any sanitizer
report, or a run over the time limit is a failure; the mutant is saved.

    python3 tests/fuzz/mutate.py --nifasm build/asan/bin/nifasm [--count N] [--seed S] [--out DIR]

Not part of `make test` (it is random); `make fuzz` runs it."""
import argparse
import glob
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from run import SANITIZER_RE  # noqa: E402  (tests/run.py)

INTERNAL_RE = re.compile(r'^internal error at ', re.M)  # die() in src/util.c
TOKENS = [b'(', b')', b'+1', b'-1', b'+0u', b'"x"', b"'a'", b'#c#', b'.', b':x.0', b'1,2,f.nim',
          b'(stmts', b'(mem', b'(dot', b'(at', b'(ite', b'(loop', b'(cfvar', b'(jtrue', b'(call',
          b'(var', b'(kill', b'(proc', b'(type', b'(gvar', b'(cast', b'(rax)', b'(ssize)', b'\\',
          b'+9223372036854775807', b'+1.5E3', b'(lab', b'(ret)', b'(push', b'(pop', b'(lock']


def mutate(data, rnd):
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        if not data:
            data += rnd.choice(TOKENS)
            continue
        i = rnd.randrange(len(data))
        k = rnd.randrange(6)
        if k == 0:
            data[i] = rnd.randrange(256)
        elif k == 1:
            del data[i:i + rnd.randint(1, 16)]
        elif k == 2:
            data[i:i] = rnd.choice(TOKENS)
        elif k == 3:
            j = rnd.randrange(len(data))
            data[i:i + 8], data[j:j + 8] = data[j:j + 8], data[i:i + 8]
        elif k == 4:
            del data[i:]
        else:
            j = rnd.randrange(len(data))
            data[i:i] = data[j:j + rnd.randint(1, 64)]
    return bytes(data)


def run_one(nifasm, path, out):
    try:
        p = subprocess.run([nifasm, path, '-o', out], capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return 'hang'
    err = p.stderr.decode('utf-8', 'replace')
    # Matched at the start of a line: an error message quotes its source
    # line, which may hold the same words (a test's comment mutated into code).
    if p.returncode not in (0, 1) or SANITIZER_RE.search(err) or INTERNAL_RE.search(err):
        return 'status %d\n%s' % (p.returncode, err[-2000:])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nifasm', required=True)
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', default='/tmp/nifasm-fuzz')
    a = ap.parse_args()
    corpus = [open(f, 'rb').read() for f in glob.glob(os.path.join(ROOT, 'tests/nifasm/**/*.nif'), recursive=True)]
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, 'm.nif'), os.path.join(tmp, 'm.out')
        for n in range(a.count):
            data = mutate(rnd.choice(corpus), rnd)
            with open(src, 'wb') as f:
                f.write(data)
            why = run_one(a.nifasm, src, exe)
            if why:
                bad += 1
                keep = os.path.join(a.out, 'crash-%d.nif' % n)
                with open(keep, 'wb') as f:
                    f.write(data)
                print('FAIL %s: %s' % (keep, why.splitlines()[0] if why else ''))
    print('%d mutants, %d failures' % (a.count, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
