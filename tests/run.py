#!/usr/bin/env python3
"""Runs the toolkit's test suite.

Every test is one self-describing file.  Its expectations sit in comment
lines of the form `key: value` (in a NIF file inside the leading `#...#`
comment; in assembly files after the comment marker).  A file under
tests/<tool>/ is run by that tool's handler below.

nifasm keys (tests/nifasm/**/*.nif):
  args: ...          extra nifasm options (shell words)
  error: L:C: msg    nifasm must fail with exactly these errors (in order),
                     exit status 1, and leave no output file
  nifasm-stdout: x   nifasm's stdout, line by line (e.g. a listing)
  nifasm-stderr: x   nifasm's stderr, line by line (e.g. a -d dump)
  norun              assemble only
  helper             not a test: a file other tests use (e.g. a module)
  exit: N            the program's exit status (default 0)
  stdout: x          the program's stdout, line by line (default: empty)
  shell: cmd         a command run after assembling, with $OUT and $SRC set;
                     it must exit 0 (readelf, objdump, gdb, valgrind checks)

Script tests (SCRIPTS below) test a tool as a whole and batch thousands of
cases into a few processes, e.g. tests/x86diff.py compares nifasm with GNU
as.  Each is one test: run with --<tool> BIN, it passes when it exits 0,
and its last output line is printed as a note.

The last line printed is `N passed, N failed`.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_RE = re.compile(r'^\s*(?:#|;|//)?\s*([a-z][a-z0-9-]*):(?: (.*))?$')
FLAG_RE = re.compile(r'^\s*(?:#|;|//)?\s*(norun)\s*$')
ERROR_RE = re.compile(r'^(.*?):(\d+):(\d+): (error|warning): (.*)$')
TIMEOUT = 20


class Spec:
    def __init__(self, path, keys):
        self.path = path
        self.items = []
        self.flags = set()
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                line = line.rstrip('\n')
                m = FLAG_RE.match(line)
                if m:
                    self.flags.add(m.group(1))
                    continue
                m = KEY_RE.match(line)
                if m and m.group(1) in keys:
                    self.items.append((m.group(1), m.group(2) or ''))

    def all(self, key):
        return [v for k, v in self.items if k == key]

    def one(self, key, default=None):
        vals = self.all(key)
        return vals[-1] if vals else default


def run(cmd, env=None, stdin=None):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, stdin=stdin)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return None, '', 'timeout after %d s' % TIMEOUT


def lines_text(lines):
    return ''.join(l + '\n' for l in lines)


def compare(what, expected, got):
    if expected == got:
        return None
    return '%s differs\n--- expected\n%s--- got\n%s' % (what, expected, got)


def diagnostics(stderr, kind, test_path=None):
    """`L:C: message` for each diagnostic of `kind` in the test file itself;
    `file:L:C: message` (base name) for one in another file."""
    out = []
    for line in stderr.splitlines():
        m = ERROR_RE.match(line)
        if not m or m.group(4) != kind:
            continue
        where = '' if test_path is None or os.path.abspath(m.group(1)) == os.path.abspath(test_path) \
            else os.path.basename(m.group(1)) + ':'
        out.append('%s%s:%s: %s' % (where, m.group(2), m.group(3), m.group(5)))
    return out


# ---- nifasm ---------------------------------------------------------------

NIFASM_KEYS = {'args', 'error', 'warning', 'nifasm-stdout', 'nifasm-stderr',
               'exit', 'stdout', 'shell'}


def nifasm_test(tools, path, tmp):
    spec = Spec(path, NIFASM_KEYS)
    out = os.path.join(tmp, 'a.out')
    args = shlex.split(spec.one('args', ''))
    code, so, se = run([tools['nifasm'], path, '-o', out] + args)
    errors = spec.all('error')
    if errors:
        if code != 1:
            return 'nifasm exit status %s, expected 1\n%s' % (code, se)
        if os.path.exists(out):
            return 'nifasm left an output file after an error'
        return compare('errors', lines_text(errors), lines_text(diagnostics(se, 'error', path)))
    if code != 0:
        return 'nifasm failed with status %s\n%s' % (code, se)
    for key, got in (('nifasm-stdout', so), ('nifasm-stderr', se)):
        if spec.all(key):
            bad = compare(key, lines_text(spec.all(key)), got)
            if bad:
                return bad
    if spec.all('warning'):
        bad = compare('warnings', lines_text(spec.all('warning')), lines_text(diagnostics(se, 'warning', path)))
        if bad:
            return bad
    for cmd in spec.all('shell'):
        env = dict(os.environ, OUT=out, SRC=path, NIFASM=tools['nifasm'], TMP=tmp)
        code, so2, se2 = run(['sh', '-c', cmd], env=env)
        if code != 0:
            return 'shell check failed (%s): %s\n%s%s' % (code, cmd, so2, se2)
    if 'norun' in spec.flags or '--check' in args or not os.path.exists(out):
        return None
    code, so, se = run([out], stdin=subprocess.DEVNULL)
    want = int(spec.one('exit', '0'))
    if code != want:
        return 'program exit status %s, expected %d\n%s' % (code, want, se)
    return compare('program stdout', lines_text(spec.all('stdout')), so)


HANDLERS = {
    'nifasm': ('.nif', nifasm_test),
}


# ---- script tests ------------------------------------------------------------

SCRIPTS = {
    'nifasm': ['tests/x86diff.py'],
}
SCRIPT_TIMEOUT = 300


def script_test(tools, tool, path):
    try:
        p = subprocess.run([sys.executable, path, '--' + tool, tools[tool]], capture_output=True,
                           timeout=SCRIPT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'timeout after %d s' % SCRIPT_TIMEOUT, None
    out = p.stdout.decode('utf-8', 'replace') + p.stderr.decode('utf-8', 'replace')
    note = out.strip().splitlines()[-1] if out.strip() else ''
    if p.returncode != 0:
        return 'exit status %d\n%s' % (p.returncode, out), None
    return None, note


HELPER_RE = re.compile(r'^\s*(?:#|;|//)?\s*helper\s*$', re.M)


def is_helper(path):
    """A file marked `helper` is used by other tests (a module they load),
    not a test itself."""
    with open(path, encoding='utf-8', errors='replace') as f:
        return HELPER_RE.search(f.read(2000)) is not None


def discover(filters):
    """(tool, path, is_script) for every test whose path matches a filter."""
    tests = []
    for tool, (ext, _) in sorted(HANDLERS.items()):
        base = os.path.join(ROOT, 'tests', tool)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if f.endswith(ext) and (not filters or any(x in p for x in filters)) \
                        and not is_helper(p):
                    tests.append((tool, p, False))
    for tool, scripts in sorted(SCRIPTS.items()):
        for s in scripts:
            p = os.path.join(ROOT, s)
            if not filters or any(x in p for x in filters):
                tests.append((tool, p, True))
    return sorted(tests)


def run_one(tools, tool, path, is_script):
    """Returns (failure text or None, note or None)."""
    if is_script:
        return script_test(tools, tool, path)
    with tempfile.TemporaryDirectory(prefix='nifasm-test-') as tmp:
        try:
            return HANDLERS[tool][1](tools, path, tmp), None
        except Exception as e:  # a broken test must fail, not stop the suite
            return 'test crashed: %r' % e, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for tool in HANDLERS:
        ap.add_argument('--' + tool, help='path of the %s binary' % tool)
    ap.add_argument('-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('filters', nargs='*', help='run only tests whose path contains one of these')
    a = ap.parse_args()
    tools = {t: os.path.abspath(getattr(a, t)) for t in HANDLERS if getattr(a, t)}
    tests = [(t, p, sc) for t, p, sc in discover(a.filters) if t in tools]
    passed = failed = 0
    notes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        # scripts are long: start them first
        order = sorted(tests, key=lambda t: not t[2])
        futures = [(t, p, ex.submit(run_one, tools, t, p, sc)) for t, p, sc in order]
        for tool, path, fut in futures:
            bad, note = fut.result()
            if bad:
                failed += 1
                print('FAIL %s\n  %s' % (os.path.relpath(path, ROOT), bad.replace('\n', '\n  ')))
            else:
                passed += 1
            if note:
                notes.append(note)
    for note in notes:
        print(note)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
