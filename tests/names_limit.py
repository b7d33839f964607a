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
first as many distinct names as fill the limit up to MARGIN bytes (for
nifasm: ROOM), then one name longer than that on a line of its own.  The
tool's own names (nifasm's tags, cpu8's and rvm's mnemonics) take less
than MARGIN, so the first names all fit whatever they take, the long one
never does, and the error's line and column do not depend on them.  The names are 247 bytes
long (256 in the interner): 134 million names of 4 bytes fill the same
2 GiB from a third of the text, but each new name costs a cache miss or
two in the interner's table, and they took nifasm 114 s; 8.4 million
take 12 s.  They are written a block at a time: a template block holds
every name that shares its first 245 bytes, and is joined with each
prefix in turn, so the Python loop runs once per block (16384 names for
nifasm), not once per name.

nifasm reads the 2.1 GB twice, in two assemblies with -j 1: the first
must also report the key of a private global that does not fit, the
second must leave a global undefined whose module's name does not fit
(nifasm_case); both go through the declaration pass, which reads with
the same reader as --parse-only.  Each tool's case takes 15 to 30 s
(nifasm's the most) and up to 4.4 GB of memory (25 to 55 s and 4.7 GB
with AddressSanitizer).
tests/run.py lists this script in SCRIPTS, so `make test` runs it.
"""
import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile

LIMIT = (1 << 31) - (1 << 20)  # the bytes names from the input may take
MARGIN = 1 << 16               # more than the tool's own names take
ROOM = 2 << 20                 # what nifasm_case leaves for its errors
MESSAGE = 'too many distinct names: they take more than 2 GiB'


def entry_size(length):
    """An interned name's bytes: an 8-byte header, the name, a NUL,
    padding to 8."""
    return (length + 8 + 1 + 7) // 8 * 8


class Layout:
    """How a tool's input spells its names: each line is `before`, the
    names that share all but their last byte joined by `sep`, `after`."""

    def __init__(self, length, first, rest, before, sep, after):
        self.length, self.first, self.rest = length, first, rest
        self.before, self.sep, self.after = before, sep, after


LETTERS = bytes(range(ord('a'), ord('z') + 1)) + bytes(range(ord('A'), ord('Z') + 1)) + b'_'
HIGH = bytes(range(128, 256))  # NIF names may hold any byte >= 128
LAYOUTS = {
    # atoms in the module's (stmts ...)
    'nifasm': Layout(247, HIGH, HIGH, b'', b' ', b''),
    # def LABEL: a label for the next (here: no) instruction
    'cpu8': Layout(247, LETTERS, LETTERS + b'0123456789', b'def ', b'\ndef ', b''),
    # labels, any number on a line: a:b:c:
    'rvm': Layout(247, LETTERS, LETTERS + b'.0123456789', b'', b':', b':'),
}


def write_names(f, lay, budget):
    """Writes whole lines of distinct names that take at most `budget`
    bytes in the interner; returns how many lines of text and names that
    makes, and the bytes they take."""
    per_line = len(lay.rest)
    lines = budget // entry_size(lay.length) // per_line
    hole = b'\0' * (lay.length - 2)  # no name holds a NUL
    block = b''.join(lay.before + lay.sep.join(hole + bytes([y, x]) for x in lay.rest) + lay.after + b'\n'
                     for y in lay.rest)
    line_bytes, newlines = len(block) // per_line, block.count(b'\n') // per_line
    parts = block.split(hole)  # joined by the prefix: a replace without the search
    prefixes = itertools.product(lay.first, *[lay.rest] * (lay.length - 3))
    for left in range(lines, 0, -per_line):
        f.write(bytes(next(prefixes)).join(parts)[:min(left, per_line) * line_bytes])
    names = lines * per_line
    return lines * newlines, names, names * entry_size(lay.length)


def nifasm_case(binary, tmp):
    """names.nif fills the limit up to about ROOM, its names in a directive
    (read, and skipped by the code pass); then the input's errors:
    - key.nif defines a private proc whose name names.nif holds, so that
      only its key (k...k.0@1, see global_key) is new, and it does not fit;
    - long.nif holds a name that does not fit;
    - use.nif, read before names.nif is, calls g.0.m...m, a name that fits
      but whose module (m...m) does not: nifasm must not read m...m.nif,
      and g.0.m...m stays undefined.  Room for it takes ROOM, not MARGIN:
      it was interned regardless, and passed the 2 GiB once the name and
      the module took more than the 1 MiB left above the input's limit."""
    key = b'k' * (ROOM + MARGIN) + b'.0'  # key.0@1 takes more than the room left
    files = {f: os.path.join(tmp, f + '.nif') for f in ('names', 'key', 'long', 'use')}
    with open(files['names'], 'wb') as f:
        f.write(b'(.names\n' + key + b'\n')
        lines, names, taken = write_names(f, LAYOUTS['nifasm'], LIMIT - ROOM - entry_size(len(key)))
        f.write(b')\n(stmts)\n')
    room = LIMIT - taken - entry_size(len(key))
    module = b'm' * (ROOM - MARGIN - 32)  # g.0.m...m fits in what nifasm's names leave
    texts = {'key': b'(stmts\n(proc :' + key + b'))\n',
             'long': b'(stmts\n' + b'z' * room + b'\n)\n',
             'use': b'(stmts\n(proc :main.0 (body (call g.0.' + module + b') (ret))))\n'}
    for name, text in texts.items():
        with open(files[name], 'wb') as f:
            f.write(text)
    out = os.path.join(tmp, 'a.out')
    full = [(files['key'], 2, 7, MESSAGE), (files['long'], 2, 1, MESSAGE)]
    ok = check([binary, '-j', '1', files['names'], files['key'], files['long'], '-o', out], full, out)
    undefined = [(files['use'], 2, 27, 'undefined label g.0.' + module.decode())]
    ok &= check([binary, '-j', '1', files['use'], files['names'], '-o', out], undefined, out)
    return ok, names, os.path.getsize(files['names'])


def isa_case(tool, binary, tmp):
    """One source file: names that fill the limit up to MARGIN, then one
    that does not fit."""
    lay = LAYOUTS[tool]
    src, out = os.path.join(tmp, 'names.s'), os.path.join(tmp, 'names.out')
    with open(src, 'wb') as f:
        lines, names, taken = write_names(f, lay, LIMIT - MARGIN)
        f.write(lay.before + b'z' * (LIMIT - taken) + lay.after + b'\n')
    at_long = (src, lines + 1, len(lay.before) + 1, MESSAGE)
    return check([binary, 'asm', src, '-o', out], [at_long], out), names, os.path.getsize(src)


ERROR_RE = re.compile(rb'^\S+:\d+:\d+: error: ', re.M)


def check(cmd, where, out):
    """The run must fail with exactly the errors `where` (file, line,
    column, message), exit status 1 and no output file."""
    p = subprocess.run(cmd, capture_output=True)
    got = [m.group(0).decode() + p.stderr[m.end():].split(b'\n', 1)[0].decode()
           for m in ERROR_RE.finditer(p.stderr)]
    want = ['%s:%d:%d: error: %s' % w for w in where]
    problems = []
    if p.returncode != 1:
        problems.append('exit status %d, not 1' % p.returncode)
    if got != want:
        problems.append('errors:\n  %s\nnot\n  %s' % ('\n  '.join(g[:300] for g in got),
                                                    '\n  '.join(w[:300] for w in want)))
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
    with tempfile.TemporaryDirectory(prefix='names-limit-') as tmp:
        if tool == 'nifasm':
            ok, names, size = nifasm_case(binary, tmp)
        else:
            ok, names, size = isa_case(tool, binary, tmp)
    print('names limit: %s %s the name past %.1f million distinct ones (%.1f GB) at its place'
          % (tool, 'reports' if ok else 'FAILED to report', names / 1e6, size / 1e9))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
