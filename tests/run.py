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
  exit: N            the program's exit status (default 0)
  stdout: x          the program's stdout, line by line (default: empty)
  shell: cmd         a command run after assembling, with $OUT and $SRC set;
                     it must exit 0 (readelf, objdump, gdb, valgrind checks)

rvm keys (tests/rvm/**/*.s, on `#` comment lines only):
  error: L:C: msg    asm must fail with exactly these errors (in order), exit
                     status 1, no output file; `rvm check` must report the same
  warning: L:C: msg  asm's warnings, in order
  exit: N            the program's exit status (default 0)
  regs: rN = V       run with --regs: exactly these register lines
  runtime-error: L: msg
                     the run stops with FILE:L: runtime error: msg, status 2
  patch: OFF HEX     overwrite bytes of the assembled .rbc at offset OFF
  truncate: N        cut the assembled .rbc to N bytes
  bytecode-error: m  running the (patched) .rbc fails: FILE: error: bytecode: m
  shell: cmd         run after assembling with $RVM, $SRC, $OUT, $TMP set
A program runs twice, from source and from its .rbc, with the same
expectations; a patched .rbc runs alone.

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
ERROR_RE = re.compile(r'^(?:.*?):(\d+):(\d+): (error|warning): (.*)$')
TIMEOUT = 20


class Spec:
    def __init__(self, path, keys, key_re=KEY_RE):
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
                m = key_re.match(line)
                if m and m.group(1) in keys:
                    self.items.append((m.group(1), m.group(2) or ''))

    def all(self, key):
        return [v for k, v in self.items if k == key]

    def one(self, key, default=None):
        vals = self.all(key)
        return vals[-1] if vals else default


def run(cmd, env=None, stdin=None, cwd=None):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, stdin=stdin, cwd=cwd)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        return None, '', 'timeout after %d s' % TIMEOUT


def lines_text(lines):
    return ''.join(l + '\n' for l in lines)


def compare(what, expected, got):
    if expected == got:
        return None
    return '%s differs\n--- expected\n%s--- got\n%s' % (what, expected, got)


def diagnostics(stderr, kind):
    out = []
    for line in stderr.splitlines():
        m = ERROR_RE.match(line)
        if m and m.group(3) == kind:
            out.append('%s:%s: %s' % (m.group(1), m.group(2), m.group(4)))
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
        return compare('errors', lines_text(errors), lines_text(diagnostics(se, 'error')))
    if code != 0:
        return 'nifasm failed with status %s\n%s' % (code, se)
    for key, got in (('nifasm-stdout', so), ('nifasm-stderr', se)):
        if spec.all(key):
            bad = compare(key, lines_text(spec.all(key)), got)
            if bad:
                return bad
    if spec.all('warning'):
        bad = compare('warnings', lines_text(spec.all('warning')), lines_text(diagnostics(se, 'warning')))
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


# ---- rvm ------------------------------------------------------------------

RVM_KEYS = {'error', 'warning', 'exit', 'regs', 'runtime-error', 'patch',
            'truncate', 'bytecode-error', 'shell'}
RVM_KEY_RE = re.compile(r'^\s*#\s*([a-z][a-z0-9-]*):(?: (.*))?$')
RUNTIME_ERROR_RE = re.compile(r'^(.*):(\d+): runtime error: (.*)$')
REG_LINE_RE = re.compile(r'^r\d+ = -?\d+$')


def rvm_errors(spec, tools, path, out, code, se):
    if code != 1:
        return 'rvm asm exit status %s, expected 1\n%s' % (code, se)
    if os.path.exists(out):
        return 'rvm asm left an output file after an error'
    want = lines_text(spec.all('error'))
    bad = compare('errors', want, lines_text(diagnostics(se, 'error')))
    if bad:
        return bad
    code, _, se = run([tools['rvm'], 'check', path], cwd=ROOT)
    if code != 1:
        return 'rvm check exit status %s, expected 1\n%s' % (code, se)
    return compare('errors of rvm check', want, lines_text(diagnostics(se, 'error')))


def rvm_patch(spec, out):
    with open(out, 'rb') as f:
        data = bytearray(f.read())
    for p in spec.all('patch'):
        off, hexbytes = p.split(None, 1)
        b = bytes.fromhex(hexbytes)
        data[int(off, 0):int(off, 0) + len(b)] = b
    if spec.one('truncate') is not None:
        data = data[:int(spec.one('truncate'), 0)]
    with open(out, 'wb') as f:
        f.write(data)


def rvm_check_run(spec, path, prog, code, so, se):
    if so:
        return 'the program printed on stdout:\n' + so
    want_rt = spec.all('runtime-error')
    if spec.all('bytecode-error'):
        want = lines_text('%s: error: bytecode: %s' % (prog, m) for m in spec.all('bytecode-error'))
        return compare('bytecode errors', want, lines_text(l for l in se.splitlines() if ': error: ' in l)) \
            or (None if code == 1 else 'exit status %s, expected 1' % code)
    want_code = 2 if want_rt else int(spec.one('exit', '0'))
    if code != want_code:
        return 'exit status %s, expected %d\n%s' % (code, want_code, se)
    got_rt = []
    for line in se.splitlines():
        m = RUNTIME_ERROR_RE.match(line)
        if m:
            if m.group(1) != path:
                return 'runtime error names %s, expected %s' % (m.group(1), path)
            got_rt.append('%s: %s' % (m.group(2), m.group(3)))
    bad = compare('runtime errors', lines_text(want_rt), lines_text(got_rt))
    if bad or not spec.all('regs'):
        return bad
    return compare('registers', lines_text(spec.all('regs')),
                   lines_text(l for l in se.splitlines() if REG_LINE_RE.match(l)))


def rvm_test(tools, path, tmp):
    spec = Spec(path, RVM_KEYS, RVM_KEY_RE)
    path = os.path.relpath(path, ROOT)  # runtime errors name it as written
    rvm = tools['rvm']
    out = os.path.join(tmp, 'prog.rbc')
    code, so, se = run([rvm, 'asm', path, '-o', out], cwd=ROOT)
    if spec.all('error'):
        return rvm_errors(spec, tools, path, out, code, se)
    if code != 0:
        return 'rvm asm failed with status %s\n%s' % (code, se)
    bad = compare('warnings', lines_text(spec.all('warning')), lines_text(diagnostics(se, 'warning')))
    if bad:
        return bad
    for cmd in spec.all('shell'):
        env = dict(os.environ, RVM=rvm, SRC=path, OUT=out, TMP=tmp)
        code, so2, se2 = run(['sh', '-c', cmd], env=env, cwd=ROOT)
        if code != 0:
            return 'shell check failed (%s): %s\n%s%s' % (code, cmd, so2, se2)
    progs = [path, out]
    if spec.all('patch') or spec.one('truncate') is not None:
        rvm_patch(spec, out)
        progs = [out]
    args = ['--regs'] if spec.all('regs') else []
    for prog in progs:
        code, so, se = run([rvm, 'run', prog] + args, stdin=subprocess.DEVNULL, cwd=ROOT)
        bad = rvm_check_run(spec, path, prog, code, so, se)
        if bad:
            return '%s (running %s)' % (bad, os.path.basename(prog))
    return None


HANDLERS = {
    'nifasm': ('.nif', nifasm_test),
    'rvm': ('.s', rvm_test),
}


def discover(filters):
    tests = []
    for tool, (ext, _) in sorted(HANDLERS.items()):
        base = os.path.join(ROOT, 'tests', tool)
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if f.endswith(ext) and (not filters or any(x in p for x in filters)):
                    tests.append((tool, p))
    return sorted(tests)


def run_one(tools, tool, path):
    with tempfile.TemporaryDirectory(prefix='nifasm-test-') as tmp:
        try:
            return HANDLERS[tool][1](tools, path, tmp)
        except Exception as e:  # a broken test must fail, not stop the suite
            return 'test crashed: %r' % e


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for tool in HANDLERS:
        ap.add_argument('--' + tool, help='path of the %s binary' % tool)
    ap.add_argument('-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('filters', nargs='*', help='run only tests whose path contains one of these')
    a = ap.parse_args()
    tools = {t: os.path.abspath(getattr(a, t)) for t in HANDLERS if getattr(a, t)}
    tests = [(t, p) for t, p in discover(a.filters) if t in tools]
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        futures = [(t, p, ex.submit(run_one, tools, t, p)) for t, p in tests]
        for tool, path, fut in futures:
            bad = fut.result()
            if bad:
                failed += 1
                print('FAIL %s\n  %s' % (os.path.relpath(path, ROOT), bad.replace('\n', '\n  ')))
            else:
                passed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
