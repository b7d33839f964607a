#!/usr/bin/env python3
"""Mutation fuzzing of the toolkit's tools: takes the suite's input files,
mutates them (byte and bit flips, deletions, inserted or overwritten
tokens, swaps, truncations, copied lines) and runs the tool on each mutant under the
sanitizer build.  The rule it checks: bad input gets an error and exit
status 1, never a crash, a hang, a sanitizer report, an internal error or
a half-written output file.

    python3 tests/fuzz/mutate.py [--nifasm BIN] [--cpu8 BIN] [--rvm BIN]
                                 [--count N] [--seed S] [--out DIR] [--jobs J]

Every tool named is fuzzed with N mutants.  What each command may do:

  nifasm F.nif -o OUT     exit 0 with OUT written, or 1 without it
  TOOL asm F.s -o OUT     (cpu8, rvm) the same
  TOOL check F.s          0 or 1, and the same stderr as asm
  TOOL check OUT          0: the loader takes what asm wrote
  TOOL run OUT, run F.s   cpu8 (--max-cycles; F.s also --trace): 0 or 2;
                          rvm (with --regs): any status but a signal and no
                          `error:` line; the guest may loop, so a run over
                          RUN_LIMIT is not a failure.  Both runs agree
                          (status and port output; rvm: also stderr, but
                          for the warnings asm prints before a source run).

cpu8 and rvm are also given mutants of their binaries (.bin, .rbc: the
corpus assembled), with the magic number kept: `check` exits 0 or 1, and
`run` exits 1 with check's stderr when check refused, or as above.  Any
command over LIMIT seconds is a failure (but an rvm guest's run, stopped
after RUN_LIMIT), and so is a sanitizer report or an `internal error at`
line (die()) at the start of a line of stderr.  A failing mutant is kept in DIR as crash-TOOL-N.EXT, and
the failing command is printed.

Not part of `make test` (it is random); `make fuzz` runs it."""
import argparse
import collections
import concurrent.futures
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
# An input error (`FILE: error: ...`, `FILE:L:C: error: ...`), which a run
# of a binary the loader accepted must not print (a quoted source line
# starts with a blank).
INPUT_ERROR_RE = re.compile(r'^\S+: error: ', re.M)
LIMIT = 10      # seconds for assembling, checking and loading
RUN_LIMIT = 3   # seconds for a guest program that may loop forever
CPU8_CYCLES = '20000'

NIF_TOKENS = [b'(', b')', b'+1', b'-1', b'+0u', b'"x"', b"'a'", b'#c#', b'.', b':x.0', b'1,2,f.nim',
              b'(stmts', b'(mem', b'(dot', b'(at', b'(ite', b'(loop', b'(cfvar', b'(jtrue', b'(call',
              b'(var', b'(kill', b'(proc', b'(type', b'(gvar', b'(cast', b'(rax)', b'(ssize)', b'\\',
              b'+9223372036854775807', b'+1.5E3', b'(lab', b'(ret)', b'(push', b'(pop', b'(lock']
# Words of the assembly languages (src/cpu8/cpu8.h, src/rvm/rvm.h) and of
# their syntax: separators, comments, labels, numbers at and past a limit.
ASM_TOKENS = [b' ', b'\t', b'\n', b'#', b'# c', b',', b':', b'x', b'loop', b'_a.b', b'-1', b'0']
CPU8_TOKENS = ASM_TOKENS + [w.encode() for w in (
    'add sub addci addco or and xor xnor rshift ldi load store if goto jmp call return halt '
    'add= sub= addci= addco= or= and= xor= xnor= rshift= >>= lshift= <<= inc mov cmp check - noop '
    'a b c d e f g h i tmp zero odd cout greater not use def 255 256 99999999999999999999 '
    'def\tloop\n goto\tloop\n').split(' ')]
RVM_TOKENS = ASM_TOKENS + [w.encode() for w in (
    'ldi cpy load store add sub mult div mod and or xor fadd fsub fmult fdiv fmod itof ftoi neg not '
    'shl shr rotl rotr inc dec jmp jifz jifnz haltexe push pop malloc realloc free memcpy memset '
    'call ret r0 r1 r29 r30 r3b1 r3b2 r3b4 r3b8 r3b3 fp sp pc $0 $1 $-1 $8 $x00aa $xffffffffffffffff '
    '$9223372036854775808 $99999999999999999999 $1.5 $-2.5e3 $1e999 $00aa $ $x loop: , $4294967296').split(' ')]
# Bytes for binaries: numbers at the edges of 8-, 16- and 32-bit fields.
BIN_TOKENS = [b'\x00', b'\xff', b'\x7f', b'\x80', b'\x01', b'\x00\x00', b'\xff\xff', b'\x00\x01',
              b'\x00\x00\x00\x00', b'\xff\xff\xff\xff', b'\xff\xff\xff\x7f', b'\x00\x00\x00\x80',
              b'\x01\x00\x00\x00', b'\x00\x00\x00\x00\x00\x00\x00\x00']

# Mutation kinds and their weights, for text and for binaries (which
# mostly keep their size, so that they pass the loader's size check).
KINDS = ['set', 'delete', 'insert', 'swap', 'truncate', 'repeat', 'overwrite', 'bitflip', 'line']
TEXT_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 1, 2]
BIN_WEIGHTS = [4, 1, 1, 1, 1, 1, 4, 4, 0]


def mutate(data, rnd, tokens, keep=0, weights=TEXT_WEIGHTS):
    """Applies 1 to 4 random mutations to data; its first `keep` bytes stay."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        if len(data) <= keep:
            data += rnd.choice(tokens)
            continue
        i = rnd.randrange(keep, len(data))
        k = rnd.choices(KINDS, weights)[0]
        if k == 'set':
            data[i] = rnd.randrange(256)
        elif k == 'delete':
            del data[i:i + rnd.randint(1, 16)]
        elif k == 'insert':
            data[i:i] = rnd.choice(tokens)
        elif k == 'swap':
            j = rnd.randrange(keep, len(data))
            data[i:i + 8], data[j:j + 8] = data[j:j + 8], data[i:i + 8]
        elif k == 'truncate':
            del data[i:]
        elif k == 'repeat':
            j = rnd.randrange(len(data))
            data[i:i] = data[j:j + rnd.randint(1, 64)]
        elif k == 'overwrite':
            t = rnd.choice(tokens)
            data[i:i + len(t)] = t
        elif k == 'bitflip':
            data[i] ^= 1 << rnd.randrange(8)
        else:  # a copy of a whole line, inserted at the start of another
            lines = data.split(b'\n')
            lines.insert(rnd.randrange(len(lines)), rnd.choice(lines))
            data = bytearray(b'\n'.join(lines))
    return bytes(data)


class Failure(Exception):
    """A mutant broke the rule; the message says which command did what."""


Result = collections.namedtuple('Result', 'status out err')  # status None: over the limit


def call(cmd, statuses=(0, 1), limit=LIMIT, may_hang=False):
    """Runs cmd and raises Failure unless it ends in time (or may_hang),
    with one of `statuses` (None: any but a signal), without a sanitizer
    report or an internal error."""
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=limit)
    except subprocess.TimeoutExpired:
        if may_hang:
            return Result(None, '', '')
        raise Failure('%s: over the %d s time limit' % (' '.join(cmd), limit))
    r = Result(p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace'))
    # Matched at the start of a line: an error message quotes its source
    # line, which may hold the same words (a test's comment mutated into code).
    if p.returncode < 0 or (statuses is not None and p.returncode not in statuses) \
            or SANITIZER_RE.search(r.err) or INTERNAL_RE.search(r.err):
        raise Failure('%s: exit status %d\n%s' % (' '.join(cmd), p.returncode, r.err[-2000:]))
    return r


def assemble(cmd, out):
    """An assembler run: exit 0 with `out` written, or 1 without it."""
    if os.path.exists(out):
        os.unlink(out)
    r = call(cmd)
    if os.path.exists(out) != (r.status == 0):
        raise Failure('%s: exit status %d, %s output file' % (' '.join(cmd), r.status,
                                                               'an' if r.status else 'no'))
    return r


def fuzz_nifasm(tool, path, tmp, binary):
    out = os.path.join(tmp, 'm.out')
    assemble([tool.exe, path, '-o', out], out)


def fuzz_isa(tool, path, tmp, binary):
    """cpu8 and rvm: asm, check and run a source, or check and run a binary.
    Returns True when a run was over RUN_LIMIT (a guest that loops)."""
    exe = tool.exe
    if binary:
        c = call([exe, 'check', path])
        return run(tool, path, c.status == 0, c.err).status is None
    out = os.path.join(tmp, 'm' + tool.bin_ext)
    a = assemble([exe, 'asm', path, '-o', out], out)
    c = call([exe, 'check', path])
    if (c.status, c.err) != (a.status, a.err):
        raise Failure('%s check %s: exit status %d, asm %d; stderr:\n%s\n-- asm:\n%s' % (
            exe, path, c.status, a.status, c.err[-1000:], a.err[-1000:]))
    if a.status:
        return False
    call([exe, 'check', out], statuses=(0,))
    rb, rs = run(tool, out, True, ''), run(tool, path, True, '', tool.source_run_args)
    if rb.status is None or rs.status is None:
        return True
    # Run from the source, a program first gets the assembler's warnings.
    if (rb.status, rb.out) != (rs.status, rs.out) or (tool.same_stderr and a.err + rb.err != rs.err):
        raise Failure('%s run: from the binary exit status %d, from the source %d; stderr:\n%s\n'
                      '-- from the source:\n%s' % (exe, rb.status, rs.status, rb.err[-1000:], rs.err[-1000:]))
    return False


def run(tool, path, loads, check_err, extra=()):
    """Runs a program: one the loader took (`loads`) exits with a status
    of tool.run_statuses and no input error, or may loop when
    tool.may_hang (None); one it refused exits 1 with check's message."""
    cmd = [tool.exe, 'run', path] + tool.run_args + list(extra)
    if not loads:
        r = call(cmd, statuses=(1,))
        if r.err != check_err:
            raise Failure('%s: stderr differs from check\'s:\n%s\n-- check:\n%s' % (
                ' '.join(cmd), r.err[-1000:], check_err[-1000:]))
        return r
    r = call(cmd, statuses=tool.run_statuses, limit=RUN_LIMIT if tool.may_hang else LIMIT,
             may_hang=tool.may_hang)
    if r.status is not None and INPUT_ERROR_RE.search(r.err):
        raise Failure('%s: an input error from a program check accepted\n%s' % (' '.join(cmd), r.err[-2000:]))
    return r


class Tool:
    def __init__(self, name, corpus, ext, tokens, fuzz, bin_ext=None, magic=b'', run_args=(),
                 run_statuses=None, may_hang=False, same_stderr=False, source_run_args=()):
        self.name, self.corpus, self.ext, self.tokens, self.fuzz = name, corpus, ext, tokens, fuzz
        self.bin_ext, self.magic, self.run_args = bin_ext, magic, list(run_args)
        self.source_run_args = source_run_args
        self.run_statuses, self.may_hang, self.same_stderr = run_statuses, may_hang, same_stderr
        self.exe = None


TOOLS = [
    Tool('nifasm', ['tests/nifasm/**/*.nif', 'examples/*.nif'], '.nif', NIF_TOKENS, fuzz_nifasm),
    # The simulator stops at --max-cycles: a run always ends.  The run from
    # the source traces, which must not change the port output.
    Tool('cpu8', ['tests/cpu8/**/*.s'], '.s', CPU8_TOKENS, fuzz_isa, '.bin', b'cpu8',
         ['--max-cycles', CPU8_CYCLES], (0, 2), source_run_args=['--trace']),
    # The VM has no step limit, and the guest's exit status is r1's low byte.
    Tool('rvm', ['tests/rvm/**/*.s'], '.s', RVM_TOKENS, fuzz_isa, '.rbc', b'\x7fRVM',
         ['--regs'], None, may_hang=True, same_stderr=True),
]


def corpus(tool, tmp):
    """The seeds: (is it a binary, bytes).  The binaries are the sources
    that assemble, assembled."""
    files = sorted(f for pat in tool.corpus for f in glob.glob(os.path.join(ROOT, pat), recursive=True))
    seeds = [(False, open(f, 'rb').read()) for f in files]
    if tool.bin_ext:
        out = os.path.join(tmp, 'seed' + tool.bin_ext)
        for f in files:
            if subprocess.run([tool.exe, 'asm', f, '-o', out], capture_output=True).returncode == 0:
                seeds.append((True, open(out, 'rb').read()))
    return seeds


def fuzz_one(tool, n, binary, data, tmp):
    """Runs one mutant in a folder of its own; returns (failure or None, hung)."""
    work = os.path.join(tmp, str(n))
    os.mkdir(work)
    path = os.path.join(work, 'm' + (tool.bin_ext if binary else tool.ext))
    with open(path, 'wb') as f:
        f.write(data)
    try:
        return None, bool(tool.fuzz(tool, path, work, binary))
    except Failure as e:
        return str(e), False
    finally:
        for f in os.listdir(work):
            os.unlink(os.path.join(work, f))
        os.rmdir(work)


def fuzz_tool(tool, a, tmp, pool):
    seeds = corpus(tool, tmp)
    rnd = random.Random(a.seed)
    mutants = []
    for n in range(a.count):
        binary, data = rnd.choice(seeds)
        if binary:
            data = mutate(data, rnd, BIN_TOKENS, len(tool.magic), BIN_WEIGHTS)
        else:
            data = mutate(data, rnd, tool.tokens)
        mutants.append((n, binary, data))
    jobs = [pool.submit(fuzz_one, tool, n, binary, data, tmp) for n, binary, data in mutants]
    bad = hung = 0
    for (n, binary, data), job in zip(mutants, jobs):
        why, looped = job.result()
        hung += looped
        if why:
            bad += 1
            keep = os.path.join(a.out, 'crash-%s-%d%s' % (tool.name, n, tool.bin_ext if binary else tool.ext))
            with open(keep, 'wb') as f:
                f.write(data)
            print('FAIL %s: %s' % (keep, why), flush=True)
    nbin = sum(binary for _, binary, _ in mutants)
    detail = ' (%d sources, %d binaries%s)' % (a.count - nbin, nbin, '; %d guests ran over %d s' % (
        hung, RUN_LIMIT) if tool.may_hang else '') if tool.bin_ext else ''
    print('%s: %d mutants%s, seed %d, %d failures' % (tool.name, a.count, detail, a.seed, bad), flush=True)
    return bad


def main():
    ap = argparse.ArgumentParser()
    for tool in TOOLS:
        ap.add_argument('--' + tool.name, metavar='BIN', help='fuzz this build of ' + tool.name)
    ap.add_argument('--count', type=int, default=2000, help='mutants per tool')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', default='/tmp/nifasm-fuzz')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    tools = [t for t in TOOLS if getattr(a, t.name)]
    if not tools:
        ap.error('name at least one tool to fuzz: ' + ', '.join('--' + t.name for t in TOOLS))
    os.makedirs(a.out, exist_ok=True)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for tool in tools:
            tool.exe = os.path.abspath(getattr(a, tool.name))
            bad += fuzz_tool(tool, a, tmp, pool)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
