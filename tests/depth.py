#!/usr/bin/env python3
"""depth.py - deeply nested input: an error or a result, never a crash.

Generates inputs nested far deeper than hand-written code (the reader
takes a million levels; statements, operands, types and initial values
have nesting limits, docs/nifasm.md) and runs nifasm on each: a case just
at a limit must assemble (and its program run and exit 0), and one just
past it must fail with status 1, no output file, and exactly the expected
first error at the node that passes the limit.  A crash, a sanitizer
report or any other status fails the case.

Usage: depth.py --nifasm bin/nifasm [--keep DIR]
The last line is a summary; the exit status is 0 only when every case passed.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile

MARK = '@@'  # in a generated text: where the expected error points; removed
SANITIZER_RE = re.compile(r'==\d+==ERROR: \w+Sanitizer|runtime error:|WARNING: \w+Sanitizer')


def at_mark(text):
    """The text without its mark, and the mark's 'line:col'."""
    i = text.find(MARK)
    if i < 0:
        return text, None
    line = text.count('\n', 0, i) + 1
    col = i - (text.rfind('\n', 0, i) + 1) + 1
    return text[:i] + text[i + len(MARK):], '%d:%d' % (line, col)


class Case:
    def __init__(self, name, text, args=(), error=None, run=False, stderr=None, stack=None):
        """error: the message of the first error, at the mark; stderr: a
        function of nifasm's stderr that must hold; stack: nifasm's soft
        and hard stack limit."""
        self.name, self.args, self.run, self.stderr = name, list(args), run, stderr
        self.stack = stack
        self.text, pos = at_mark(text)
        self.error = '%s: error: %s' % (pos, error) if error else None


N = 10000  # NEST_MAX in src/nifasm.h
CLOBBER = '(clobber (rcx) (rdx) (rsi) (rdi) (r8) (r9) (r10) (r11))'
SMALL_PROCS = ''.join('(proc :p%d.0 (body (ret)))\n' % i for i in range(8))


def program(body, decls=''):
    """main.0 with this body; small procs before it, so that with -j 2 a
    worker has ranges to take (from the back: main.0 first)."""
    return ('(stmts %s%s(proc :main.0 (result :r.0 (rax) (i +64)) %s\n(body %s\n(mov (rax) +0) (ret))))'
            % (decls, SMALL_PROCS, CLOBBER, body))


def nest(n, level, close, mark=None, leaf=''):
    """n levels around leaf, one a line; `mark` says where in the last
    level the error points (a part of it)."""
    last = level if mark is None else level.replace(mark, MARK + mark, 1)
    return ''.join('\n' + level for _ in range(n - 1)) + '\n' + last + leaf + close * n


# A statement shape: one nesting level, its end, and the node past the
# limit that the error names (in the first level too deep).
STMT_SHAPES = {
    'nested ite': ('(cmp (rcx) +0)', '(ite (l) (stmts (add (rcx) +1)', ') (stmts))', '(stmts'),
    'else-if chain': ('(cmp (rcx) +0)', '(ite (l) (stmts) (stmts (add (rcx) +1)', '))', '(stmts'),
    'nested loop': ('', '(loop (stmts (mov (rcx) +1) (cmp (rcx) +0)) (l) (stmts', ') (stmts))', '(stmts'),
    'nested stmts': ('', '(stmts (add (rcx) +1)', ')', '(stmts'),
}


def stmt_cases():
    for name, (pre, level, close, mark) in sorted(STMT_SHAPES.items()):
        yield Case('%s, %d levels' % (name, N), program(pre + nest(N, level, close)), run=True)
        past = program(pre + nest(N + 1, level, close, mark))
        yield Case('%s, %d levels' % (name, N + 1), past, error='statements nest deeper than %d levels' % N)
        yield Case('%s, %d levels, -j 2' % (name, N + 1), past, ['-j', '2'],
                   error='statements nest deeper than %d levels' % N)
    # With a hard stack limit of 8 MB, nifasm makes its stack another way.
    pre, level, close, mark = STMT_SHAPES['nested loop']
    yield Case('nested loop, %d levels, hard stack limit 8 MB' % N, program(pre + nest(N, level, close)),
               ['-j', '2'], run=True, stack=8 << 20)


# An operand shape: a level (`per` nested operands), its end, the last
# operand in it (where the error points), the innermost operand, and an
# operand that makes up the count.
OPND_SHAPES = {
    'nested cast': ('(cast (i +64) ', ')', '(cast', 1, '(rdx)', '(cast (i +64) '),
    # a (mem ...) is never the base of another: a cast between them
    'mem and cast': ('(mem (cast A.0 ', '))', '(cast', 2, 'x.0', '(cast (i +64) '),
    'mem, dot and cast': ('(mem (dot (cast A.0 ', ') f))', '(cast', 3, 'x.0', '(cast (i +64) '),
}
OPND_DECLS = '(type :A.0 (object (fld :f (i +64))))\n'


def operand_program(shape, count, past):
    """An instruction whose operand nests `count` operands deep."""
    level, close, mark, per, leaf, extra = OPND_SHAPES[shape]
    k = (count - 1) // per
    head = count - per * k  # 1 to per
    opnd = extra * head + nest(k, level, close, mark if past else None, leaf) + ')' * head
    body = '(var :x.0 (s) A.0) (sub (rsp) (ssize)) (mov (rcx) %s) (add (rsp) (ssize))' % opnd
    return program(body, OPND_DECLS)


def operand_cases():
    for name in sorted(OPND_SHAPES):
        yield Case('%s, %d levels' % (name, N), operand_program(name, N, False), run=True)
        yield Case('%s, %d levels' % (name, N + 1), operand_program(name, N + 1, True),
                   error='operands nest deeper than %d levels' % N)
    yield Case('nested cast, %d levels, -j 2' % (N + 1), operand_program('nested cast', N + 1, True),
               ['-j', '2'], error='operands nest deeper than %d levels' % N)


TYPE_ERROR = 'types nest deeper than %d levels' % N


def type_program(types, var_type):
    return program('(var :x.0 (s) %s)' % var_type, ''.join(t + '\n' for t in types))


def chain(n, decl, last, past):
    """Types A0.0 .. An.0, each declared before the one it names; decl(i)
    is Ai, and in A(n-1) the mark goes where `past` says."""
    types = [decl(i) for i in range(n)] + [last % n]
    if past:
        types[n - 1] = types[n - 1].replace(past, MARK + past, 1)
    return type_program(types, 'A0.0')


def type_cases():
    ptrs = lambda n, past: type_program([], nest(n, '(ptr ', ')', '(ptr' if past else None, '(i +64)'))
    yield Case('nested ptr, %d levels' % N, ptrs(N, False), run=True)
    yield Case('nested ptr, %d levels' % (N + 1), ptrs(N + 1, True), error=TYPE_ERROR)
    # Each type a (ptr ...) and a name: two levels.
    to_ptr = lambda i: '(type :A%d.0 (object (fld :p (ptr A%d.0))))' % (i, i + 1)
    obj = '(type :A%d.0 (object (fld :p (i +64))))'
    yield Case('%d types, each pointing to the next' % (N // 2), chain(N // 2, to_ptr, obj, None), run=True)
    yield Case('%d types, each pointing to the next' % (N // 2 + 1), chain(N // 2 + 1, to_ptr, obj, '(ptr'),
               error=TYPE_ERROR)
    # One level each; the objects are then laid out N deep.
    for what, decl in (('aliases, each of the next', lambda i: '(type :A%d.0 A%d.0)' % (i, i + 1)),
                       ('objects, each holding the next',
                        lambda i: '(type :A%d.0 (object (fld :p A%d.0)))' % (i, i + 1))):
        yield Case('%d %s' % (N, what), chain(N, decl, obj, None), run=True)
        yield Case('%d %s' % (N + 1, what), chain(N + 1, decl, obj, 'A%d.0' % (N + 1)), error=TYPE_ERROR)


def backward_chain(n, decl, last):
    """Types A0.0 .. An.0, each declared after the one it names: read one
    at a time, so not limited, but the type A0.0 is nested n deep."""
    return [last % n] + [decl(i) for i in range(n - 1, -1, -1)]


def deep_type_cases():
    n = 300000
    arrays = backward_chain(n, lambda i: '(type :A%d.0 (array A%d.0 +1))' % (i, i + 1), '(type :A%d.0 (i +8))')
    yield Case('layout of arrays nested %d deep through aliases' % n, type_program(arrays, 'A0.0'), run=True)
    ptrs = backward_chain(n, lambda i: '(type :A%d.0 (ptr A%d.0))' % (i, i + 1), '(type :A%d.0 (i +64))')
    body = '(var :x.0 (rcx) A0.0) (var :y.0 (rdx) (i +64))\n%s(mov y.0 x.0)' % MARK
    spelt = '(ptr ' * n + '(i +64)' + ')' * n
    yield Case('a message naming a type nested %d deep' % n,
               program(body, ''.join(t + '\n' for t in ptrs)),
               error='mov: types differ: (i +64) and %s' % spelt)


def value_cases():
    for n, past in ((N, False), (N + 1, True)):
        arrays = backward_chain(n, lambda i: '(type :A%d.0 (array A%d.0 +1))' % (i, i + 1), '(type :A%d.0 (i +8))')
        data = '(gvar :g.0 A0.0 %s)' % nest(n, '(cons ', ')', '(cons' if past else None, '+7')
        text = program('', ''.join(t + '\n' for t in arrays) + data + '\n')
        if past:
            yield Case('(cons ...) nested %d deep' % n, text, error='initial values nest deeper than %d levels' % N)
        else:
            yield Case('(cons ...) nested %d deep' % n, text, run=True)


def all_limits():
    """N nested loops around an operand N deep whose innermost cast holds
    a type N deep: the most stack the limits allow (docs/nifasm.md).  The
    operand alternates (mem ...) and (cast ...), as a (mem ...) is never
    the base of another."""
    pre, level, close, _ = STMT_SHAPES['nested loop']
    typ = '(ptr ' * N + '(i +64)' + ')' * N
    pairs, odd = divmod(N - 1, 2)
    opnd = ('(mem (cast (i +64) ' * pairs + '(mem ' * odd + '(cast %s (rdx))' % typ +
            ')' * odd + '))' * pairs)
    return program(pre + nest(N, level, close, leaf='(mov (rcx) %s)' % opnd))


def cases():
    n = 1000000
    tree = '(a ' * n + ')' * n
    yield Case('reader: %d nested nodes' % n, tree, ['--parse-only'])
    yield Case('-d t prints %d nested nodes' % n, tree, ['--parse-only', '-d', 't'],
               stderr=lambda err: err == '(a' + ' (a' * (n - 1) + ')' * n + '\n')
    yield Case('-d t before checking %d nested nodes' % n,
               '(stmts\n' + MARK + tree + ')', ['--check', '-d', 't'],
               error='(a ...) is not a statement')
    yield from stmt_cases()
    yield from operand_cases()
    yield from type_cases()
    yield from deep_type_cases()
    yield from value_cases()
    yield Case('all the limits at once', all_limits(), run=True)
    yield Case('all the limits at once, hard stack limit 8 MB, -j 2', all_limits(), ['-j', '2'],
               run=True, stack=8 << 20)


def check(nifasm, case, tmp):
    """None, or what went wrong."""
    src, out = os.path.join(tmp, 'in.nif'), os.path.join(tmp, 'a.out')
    with open(src, 'w') as f:
        f.write(case.text + '\n')
    if os.path.exists(out):
        os.remove(out)
    writes = not ({'--check', '--parse-only'} & set(case.args))
    limit = (lambda: resource.setrlimit(resource.RLIMIT_STACK, (case.stack, case.stack))) if case.stack else None
    p = subprocess.run([nifasm] + case.args + [src] + (['-o', out] if writes else []),
                       capture_output=True, timeout=300, preexec_fn=limit)
    err = p.stderr.decode('utf-8', 'replace')
    if SANITIZER_RE.search(err):
        return 'sanitizer report:\n' + err[:3000]
    want = 1 if case.error else 0
    if p.returncode != want:
        return 'exit status %d, expected %d\n%s' % (p.returncode, want, err[:2000])
    if case.error:
        first = next((l for l in err.splitlines() if ': error: ' in l), '')
        if first != src + ':' + case.error:
            return 'first error %r, expected %r' % (first[:300], (src + ':' + case.error)[:300])
        if os.path.exists(out):
            return 'an output file after an error'
    elif writes and not os.path.exists(out):
        return 'no output file'
    if case.stderr and not case.stderr(err):
        return 'unexpected stderr: %r' % err[:300]
    if case.run and not case.error:
        r = subprocess.run([out], capture_output=True, timeout=60)
        if r.returncode != 0:
            return 'the program exits with %d' % r.returncode
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nifasm', required=True)
    ap.add_argument('--keep', help='keep the generated files in this directory')
    a = ap.parse_args()
    nifasm = os.path.abspath(a.nifasm)
    failed = total = 0
    for i, case in enumerate(cases()):
        total += 1
        with tempfile.TemporaryDirectory(prefix='nifasm-depth-') as tmp:
            d = tmp
            if a.keep:
                d = os.path.join(a.keep, '%02d' % i)
                os.makedirs(d, exist_ok=True)
            why = check(nifasm, case, d)
        if why:
            failed += 1
            print('FAIL %s: %s' % (case.name, why))
    print('depth: %d of %d deeply nested inputs handled' % (total - failed, total))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
