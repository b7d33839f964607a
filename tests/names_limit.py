#!/usr/bin/env python3
"""Too many distinct names is the input's error, not a crash.

    names_limit.py --nifasm bin/nifasm    (or --cpu8 bin/cpu8, --rvm bin/rvm)

Every tool keeps its names in one interner of at most 2 GiB, where a name
of up to 7 bytes takes 16 (src/util.c); names from the input may take
2 GiB less 1 MiB, and the name that passes that must be reported at its
place as `error: too many distinct names: they take more than 2 GiB`,
with exit status 1 and no output file.  (Before that check, the long
name below fitted in the 2 GiB, and a name past them was an internal
error.)

The input is generated into a temporary directory and deleted at the end:
first as many distinct names as fill the limit up to MARGIN bytes, then
one name longer than MARGIN on a line of its own.  The tool's own names
(nifasm's tags, cpu8's and rvm's mnemonics) take less than MARGIN, so the
first names all fit whatever they take, the long one never does, and the
error's line and column do not depend on them.  The names are 247 bytes
long (256 in the interner): 134 million names of 4 bytes fill the same
2 GiB from a third of the text, but each new name costs a cache miss or
two in the interner's table, and they took nifasm 114 s; 8.4 million
take 12 s.  They are written a block at a time: a template block holds
every name that shares its first 245 bytes, and is joined with each
prefix in turn, so the Python loop runs once per block (16384 names for
nifasm), not once per name.

nifasm reads the 2.1 GB with --parse-only, then again through the
declaration pass of an assembly with -j 1 (both under 4.3 GB of memory).
tests/run.py lists this script in SCRIPTS, so `make test` runs it.
"""
import argparse
import itertools
import os
import subprocess
import sys
import tempfile

LIMIT = (1 << 31) - (1 << 20)  # the bytes names from the input may take
MARGIN = 1 << 16               # more than the tool's own names take
MESSAGE = 'error: too many distinct names: they take more than 2 GiB'


def entry_size(length):
    """An interned name's bytes: an 8-byte header, the name, a NUL,
    padding to 8."""
    return (length + 8 + 1 + 7) // 8 * 8


class Layout:
    """How a tool's input spells its names: each line is `before`, the
    names that share all but their last byte joined by `sep`, `after`."""

    def __init__(self, length, first, rest, before, sep, after, column, head=b'', tail=b''):
        self.length, self.first, self.rest = length, first, rest
        self.before, self.sep, self.after = before, sep, after
        self.column = column  # where the long name's error is
        self.head, self.tail = head, tail  # the text before and after the names


LETTERS = bytes(range(ord('a'), ord('z') + 1)) + bytes(range(ord('A'), ord('Z') + 1)) + b'_'
HIGH = bytes(range(128, 256))  # NIF names may hold any byte >= 128
LAYOUTS = {
    # atoms in the module's (stmts ...); the long one is a line of its own
    'nifasm': Layout(247, HIGH, HIGH, b'', b' ', b'', 1, b'(stmts\n', b')\n'),
    # def LABEL: a label for the next (here: no) instruction
    'cpu8': Layout(23, LETTERS, LETTERS + b'0123456789', b'def ', b'\ndef ', b'', 5),
    # labels, any number on a line: a:b:c:
    'rvm': Layout(23, LETTERS, LETTERS + b'.0123456789', b'', b':', b':', 1),
}


def write_input(path, lay):
    """Writes the names; returns the line of the long one and the number
    of short ones."""
    per_line = len(lay.rest)
    lines = (LIMIT - MARGIN) // entry_size(lay.length) // per_line
    hole = b'\0' * (lay.length - 2)  # no name holds a NUL
    block = b''.join(lay.before + lay.sep.join(hole + bytes([y, x]) for x in lay.rest) + lay.after + b'\n'
                     for y in lay.rest)
    line_bytes, newlines = len(block) // per_line, block.count(b'\n') // per_line
    parts = block.split(hole)  # joined by the prefix: a replace without the search
    prefixes = itertools.product(lay.first, *[lay.rest] * (lay.length - 3))
    with open(path, 'wb') as f:
        f.write(lay.head)
        left = lines
        while left:
            chunk = bytes(next(prefixes)).join(parts)
            n = min(left, per_line)
            f.write(chunk[:n * line_bytes])
            left -= n
        taken = lines * per_line * entry_size(lay.length)
        f.write(lay.before + b'z' * (LIMIT - taken) + lay.after + b'\n' + lay.tail)
    return lay.head.count(b'\n') + lines * newlines + 1, lines * per_line


def check(cmd, src, out, line, column):
    """The run must fail at the long name, with status 1 and no output."""
    p = subprocess.run(cmd, capture_output=True)
    first = p.stderr.split(b'\n', 1)[0].decode('utf-8', 'replace')
    want = '%s:%d:%d: %s' % (src, line, column, MESSAGE)
    problems = []
    if p.returncode != 1:
        problems.append('exit status %d, not 1' % p.returncode)
    if first != want:
        problems.append('first line of stderr:\n  %s\nnot\n  %s' % (first[:300], want))
    if out and os.path.exists(out):
        problems.append('%s was written' % out)
    if problems:
        print('%s:\n%s\n%s' % (' '.join(cmd), '\n'.join(problems), p.stderr[-2000:].decode('utf-8', 'replace')))
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for tool in LAYOUTS:
        ap.add_argument('--' + tool)
    a = ap.parse_args()
    tool = next((t for t in LAYOUTS if getattr(a, t)), None)
    if not tool:
        ap.error('give --nifasm, --cpu8 or --rvm')
    binary = os.path.abspath(getattr(a, tool))
    ok = True
    with tempfile.TemporaryDirectory(prefix='names-limit-') as tmp:
        src = os.path.join(tmp, 'names.nif' if tool == 'nifasm' else 'names.s')
        out = os.path.join(tmp, 'names.out')
        line, names = write_input(src, LAYOUTS[tool])
        size = os.path.getsize(src)
        col = LAYOUTS[tool].column
        if tool == 'nifasm':
            runs = [[binary, '--parse-only', src], [binary, '-j', '1', src, '-o', out]]
        else:
            runs = [[binary, 'asm', src, '-o', out]]
        for cmd in runs:
            ok &= check(cmd, src, out if '-o' in cmd else None, line, col)
    print('names limit: %s %s the name past %.1f million distinct ones (%.1f GB) at its place'
          % (tool, 'reports' if ok else 'FAILED to report', names / 1e6, size / 1e9))
    return 0 if ok else 1

if __name__ == '__main__':
    sys.exit(main())
