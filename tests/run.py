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
  warning: L:C: msg  nifasm's warnings, in order (default: none)
  nifasm-stdout: x   nifasm's stdout, line by line (e.g. a listing)
  escapes            in nifasm-stdout:, nifasm-stderr: and stdout: values, \\XX
                     is the byte XX (\\23 for '#', which a NIF comment cannot hold)
  nifasm-stderr: x   nifasm's stderr, line by line (e.g. a -d dump)
  norun              assemble only
  helper             not a test: a file other tests use (e.g. a module)
  exit: N            the program's exit status (default 0)
  stdout: x          the program's stdout, line by line (default: empty)
  shell: cmd         a command run after assembling (also after an expected
                     error), with $OUT, $SRC, $TMP, $NIFASM and $ERR (nifasm's
                     stderr) set; it must exit 0 (readelf, objdump, gdb, valgrind)
Without error:, nifasm must exit 0 and write its output file; with --check
or --parse-only in args, it must write none.

Script tests (SCRIPTS below) test a tool as a whole and batch thousands of
cases into a few processes, e.g. tests/x86diff.py compares nifasm with GNU
as, and tests/selfcheck.py checks that this runner fails a broken nifasm.
Each is one test: run with --<tool> BIN, it passes when it exits 0, and its
last output line is printed as a note.

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

cpu8 keys (tests/cpu8/**/*.s):
  args: ...          extra cpu8 options for asm, check and run
  error: L:C: msg    asm, check and run must fail with exactly these errors,
                     exit status 1, and asm must leave no output file
  warning: L:C: msg  the warnings of asm and of check, exactly (default: none)
  norun              assemble and check only
  exit: N            the run's exit status (default 0)
  stdout: x          the program's port output, line by line (default: empty);
                     \\xNN stands for a byte that is not printable
  cycles: N          the cycle count `halt` reports
  runtime-error: L: msg   the run stops with this error at source line L
  run-stderr: x      the whole stderr of running the binary, line by line
  shell: cmd         run with $CPU8, $SRC, $BIN and $TMP set; must exit 0
The program is run twice, from the binary and from the source; both runs
must agree.

The last line printed is `N passed, N failed`.  Words after the options
select the tests whose path from the repository root contains one of them
(`errors/`, `tests/rvm/`, `examples/`); when none is selected, run.py says so
and exits with status 2.
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
FLAG_RE = re.compile(r'^\s*(?:#|;|//)?\s*(norun|escapes)\s*$')
ERROR_RE = re.compile(r'^(.*?):(\d+):(\d+): (error|warning): (.*)$')
TIMEOUT = 20
# A report of AddressSanitizer, LeakSanitizer or UBSan (`file:L:C: runtime
# error:`; rvm's and cpu8's own runtime errors have no column).
SANITIZER_RE = re.compile(r'^==\d+==ERROR: \w+Sanitizer|^SUMMARY: \w+Sanitizer|^\S+:\d+:\d+: runtime error: ',
                          re.M)


class SanitizerReport(Exception):
    """A command printed a sanitizer report: the test fails, whatever it expects."""


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
    except subprocess.TimeoutExpired:
        return None, '', 'timeout after %d s' % TIMEOUT
    so, se = p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    if SANITIZER_RE.search(se):
        raise SanitizerReport('sanitizer report (exit status %d) from %s\n%s' % (p.returncode, ' '.join(cmd), se))
    return p.returncode, so, se


def sanitizer_in_files(tmp):
    """A sanitizer report that a shell: check sent to a file (2>$TMP/e)."""
    for dirpath, _, files in os.walk(tmp):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.isfile(p):  # a pipe a test made: opening it would wait for a writer
                continue
            with open(p, 'rb') as fh:
                text = fh.read(1 << 20).decode('utf-8', 'replace')
            if SANITIZER_RE.search(text):
                return 'sanitizer report in %s\n%s' % (f, text)
    return None


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


NIF_ESCAPE_RE = re.compile(r'\\([0-9A-F]{2})')


def nif_unescape(spec, lines):
    """With the flag `escapes`, output expectations spell a byte as NIF does,
    \\XX (uppercase hex): a NIF comment cannot hold '#' (\\23) itself."""
    if 'escapes' not in spec.flags:
        return lines
    return [NIF_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), l) for l in lines]


def run_shell_checks(spec, tmp, env, cwd=None):
    """Each `shell:` command of the test, run in cwd with $TMP and the
    variables of env set; each must exit 0."""
    env = dict(os.environ, TMP=tmp, **env)
    for cmd in spec.all('shell'):
        code, so, se = run(['sh', '-c', cmd], env=env, cwd=cwd)
        if code != 0:
            return 'shell check failed (%s): %s\n%s%s' % (code, cmd, so, se)
    return None


def nifasm_shell_checks(spec, tools, path, out, tmp, stderr):
    """The `shell:` commands with $OUT, $SRC, $TMP, $NIFASM and $ERR (a file
    holding nifasm's stderr) set."""
    err = os.path.join(tmp, 'nifasm.err')
    with open(err, 'w') as f:
        f.write(stderr)
    return run_shell_checks(spec, tmp, dict(OUT=out, SRC=path, NIFASM=tools['nifasm'], ERR=err))


# Options with which nifasm writes no file, by design (see `nifasm --help`);
# with any other, an exit status of 0 promises the output file.
NO_OUTPUT_ARGS = {'--check', '--parse-only', '--help', '-h', '--version'}


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
        bad = compare('errors', lines_text(errors), lines_text(diagnostics(se, 'error', path)))
        return bad or nifasm_shell_checks(spec, tools, path, out, tmp, se)
    if code != 0:
        return 'nifasm failed with status %s\n%s' % (code, se)
    writes = not NO_OUTPUT_ARGS.intersection(args)
    if writes != os.path.exists(out):
        return 'nifasm exited 0 but wrote no output file' if writes else \
            'nifasm wrote an output file with %s' % ' '.join(NO_OUTPUT_ARGS.intersection(args))
    for key, got in (('nifasm-stdout', so), ('nifasm-stderr', se)):
        if spec.all(key):
            bad = compare(key, lines_text(nif_unescape(spec, spec.all(key))), got)
            if bad:
                return bad
    bad = compare('warnings', lines_text(spec.all('warning')), lines_text(diagnostics(se, 'warning', path)))
    if bad:
        return bad
    bad = nifasm_shell_checks(spec, tools, path, out, tmp, se)
    if bad:
        return bad
    if 'norun' in spec.flags or not writes:
        return None
    code, so, se = run([out], stdin=subprocess.DEVNULL)
    want = int(spec.one('exit', '0'))
    if code != want:
        return 'program exit status %s, expected %d\n%s' % (code, want, se)
    return compare('program stdout', lines_text(nif_unescape(spec, spec.all('stdout'))), so)


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
    bad = run_shell_checks(spec, tmp, dict(RVM=rvm, SRC=path, OUT=out), cwd=ROOT)
    if bad:
        return bad
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


# ---- cpu8 -----------------------------------------------------------------

CPU8_KEYS = {'args', 'error', 'warning', 'exit', 'stdout', 'cycles',
             'runtime-error', 'run-stderr', 'shell'}


def cpu8_diagnostics(tools, verbs, path, args, binary, status, kind, want):
    """Runs cpu8 VERB on the source for each verb: the exit status and the
    diagnostics of `kind` must be as expected."""
    for verb in verbs:
        cmd = [tools['cpu8'], verb, path] + args + (['-o', binary] if verb == 'asm' else [])
        code, _, se = run(cmd)
        if code != status:
            return 'cpu8 %s exit status %s, expected %d\n%s' % (verb, code, status, se)
        bad = compare('%s %ss' % (verb, kind), lines_text(want), lines_text(diagnostics(se, kind)))
        if bad:
            return bad
    return None


def cpu8_failure(tools, spec, path, args, binary):
    """Checks that asm, check and run all reject the file with its errors."""
    bad = cpu8_diagnostics(tools, ('asm', 'check', 'run'), path, args, binary, 1, 'error',
                           spec.all('error'))
    if not bad and os.path.exists(binary):
        return 'cpu8 asm left an output file after an error'
    return bad


def cpu8_run_result(spec, what, code, so, se, error_re):
    """Checks one run; error_re(line, msg) is the regex of a runtime error."""
    want = int(spec.one('exit', '0'))
    if code != want:
        return '%s: exit status %s, expected %d\n%s' % (what, code, want, se)
    want_out = [re.sub(r'\\x([0-9a-f]{2})', lambda m: chr(int(m.group(1), 16)), l)
                for l in spec.all('stdout')]
    bad = compare('%s stdout' % what, lines_text(want_out), so)
    if bad:
        return bad
    got = [l for l in se.splitlines() if l.startswith('cycles: ')]
    if code == 0 and len(got) != 1:
        return '%s: expected one "cycles: N" line on stderr\n%s' % (what, se)
    if spec.one('cycles') is not None and got != ['cycles: ' + spec.one('cycles')]:
        return '%s: %s, expected cycles: %s' % (what, got, spec.one('cycles'))
    for want_err in spec.all('runtime-error'):
        line, msg = want_err.split(': ', 1)
        if not any(re.fullmatch(error_re(line, msg), l) for l in se.splitlines()):
            return '%s: expected runtime error at line %s: %s\n%s' % (what, line, msg, se)
    return None


def cpu8_test(tools, path, tmp):
    spec = Spec(path, CPU8_KEYS)
    args = shlex.split(spec.one('args', ''))
    binary = os.path.join(tmp, 'p.bin')
    if spec.all('error'):
        return cpu8_failure(tools, spec, path, args, binary)
    bad = cpu8_diagnostics(tools, ('asm', 'check'), path, args, binary, 0, 'warning',
                           spec.all('warning'))
    if bad:
        return bad
    bad = run_shell_checks(spec, tmp, dict(CPU8=tools['cpu8'], SRC=path, BIN=binary))
    if bad:
        return bad
    if 'norun' in spec.flags:
        return None
    code, so, se = run([tools['cpu8'], 'run', binary] + args, stdin=subprocess.DEVNULL)
    bad = cpu8_run_result(spec, 'run of the binary', code, so, se,
                          lambda l, m: r'%s: runtime error: %s \(pc \d+, source line %s\)'
                          % (re.escape(binary), re.escape(m), l))
    if bad:
        return bad
    if spec.all('run-stderr'):
        bad = compare('stderr of the run', lines_text(spec.all('run-stderr')), se)
        if bad:
            return bad
    code, so, se = run([tools['cpu8'], 'run', path] + args, stdin=subprocess.DEVNULL)
    return cpu8_run_result(spec, 'run of the source', code, so, se,
                           lambda l, m: '%s:%s: runtime error: %s' % (re.escape(path), l, re.escape(m)))


HANDLERS = {
    'nifasm': ('.nif', nifasm_test),
    'rvm': ('.s', rvm_test),
    'cpu8': ('.s', cpu8_test),
}


# ---- script tests ------------------------------------------------------------

SCRIPTS = {
    'nifasm': ['tests/x86diff.py', 'tests/selfcheck.py', 'tests/jobs.py', 'tests/names_limit.py', 'tests/depth.py'],
    'cpu8': ['tests/names_limit.py'],
    'rvm': ['tests/names_limit.py'],
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
    if p.returncode != 0 or SANITIZER_RE.search(out):
        return 'exit status %d\n%s' % (p.returncode, out), None
    return None, note


# The examples are tests too: they carry their expected output.
EXTRA_DIRS = {'nifasm': [os.path.join(ROOT, 'examples')]}

HELPER_RE = re.compile(r'^\s*(?:#|;|//)?\s*helper\s*$', re.M)


def is_helper(path):
    """A file marked `helper` is used by other tests (a module they load),
    not a test itself."""
    with open(path, encoding='utf-8', errors='replace') as f:
        return HELPER_RE.search(f.read(2000)) is not None


def selected(path, filters):
    """A filter word selects the tests whose path from the repository root
    (tests/nifasm/errors/..., examples/...) contains it; the checkout's own
    path does not count."""
    rel = os.path.relpath(path, ROOT)
    return not filters or any(x in rel for x in filters)


def discover(filters):
    """(tool, path, is_script) for every test whose path matches a filter."""
    tests = []
    for tool, (ext, _) in sorted(HANDLERS.items()):
        bases = [os.path.join(ROOT, 'tests', tool)] + EXTRA_DIRS.get(tool, [])
        for dirpath, _, files in (w for base in bases for w in os.walk(base)):
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if f.endswith(ext) and selected(p, filters) and not is_helper(p):
                    tests.append((tool, p, False))
    for tool, scripts in sorted(SCRIPTS.items()):
        for s in scripts:
            p = os.path.join(ROOT, s)
            if selected(p, filters):
                tests.append((tool, p, True))
    return sorted(tests)


def run_one(tools, tool, path, is_script):
    """Returns (failure text or None, note or None)."""
    if is_script:
        return script_test(tools, tool, path)
    with tempfile.TemporaryDirectory(prefix='nifasm-test-') as tmp:
        try:
            return HANDLERS[tool][1](tools, path, tmp) or sanitizer_in_files(tmp), None
        except SanitizerReport as e:
            return str(e), None
        except Exception as e:  # a broken test must fail, not stop the suite
            return 'test crashed: %r' % e, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for tool in HANDLERS:
        ap.add_argument('--' + tool, help='path of the %s binary' % tool)
    ap.add_argument('-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('filters', nargs='*',
                    help='run only tests whose path from the repository root contains one of these')
    a = ap.parse_args()
    tools = {t: os.path.abspath(getattr(a, t)) for t in HANDLERS if getattr(a, t)}
    tests = [(t, p, sc) for t, p, sc in discover(a.filters) if t in tools]
    if not tests:
        print('no test selected: no test of %s matches %s'
              % (', '.join(sorted(tools)) or 'any tool (give --nifasm, --rvm or --cpu8)',
                 ' or '.join(a.filters) or 'anything'), file=sys.stderr)
        return 2
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
