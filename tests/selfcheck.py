#!/usr/bin/env python3
"""The test runner's own test: tests/run.py must catch a broken nifasm.

    selfcheck.py --nifasm bin/nifasm

Each case below wraps the given nifasm in a shell script that breaks one
promise (it deletes its output file, ...), runs tests/run.py with the
wrapper on a part of the suite, and requires that every selected test
fails.  It also checks that filter words which select nothing make run.py
exit 2.  tests/run.py lists this script in SCRIPTS, so `make test` runs it.
"""
import argparse
import os
import re
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The wrapper runs the real nifasm with $OUT set to the argument of -o and
# $STATUS to its exit status, then runs BREAK and exits with $STATUS.
WRAPPER = '''#!/bin/sh
OUT=; prev=
for a in "$@"; do [ "$prev" = -o ] && OUT=$a; prev=$a; done
"%s" "$@"; STATUS=$?
%s
exit $STATUS
'''

# (what the wrapper does, the tests it runs on, the shell code of BREAK)
CASES = [
    ('exits 0 but deletes its output', 'tests/nifasm/run/',
     '[ -n "$OUT" ] && rm -f "$OUT"'),
    ('writes an output file with --parse-only or after an error', 'tests/nifasm/reader/',
     '[ -n "$OUT" ] && : >"$OUT"'),
    ('reports a leak on every error path, with the status 1 errors want', 'tests/nifasm/errors/',
     '[ $STATUS = 1 ] && echo "==1==ERROR: LeakSanitizer: detected memory leaks" >&2'),
    ('prints a warning no test expects', 'tests/nifasm/run/',
     '[ $STATUS = 0 ] && echo "x.nif:1:1: warning: stray" >&2'),
    ('reports undefined behaviour but exits 0', 'tests/nifasm/run/',
     'echo "src/check.c:1:2: runtime error: signed integer overflow" >&2'),
]

# Filter words that select nothing: run.py must say so and exit 2, not
# report "0 passed, 0 failed" (or run the suite because the word is in the
# checkout's path).
EMPTY_FILTERS = ['no-such-test', os.path.join(ROOT, 'tests', 'nifasm', 'run', '')]

TALLY_RE = re.compile(r'^(\d+) passed, (\d+) failed$', re.M)


def check(nifasm, tmp, what, filt, code):
    wrapper = os.path.join(tmp, 'nifasm-%d' % len(os.listdir(tmp)))
    with open(wrapper, 'w') as f:
        f.write(WRAPPER % (nifasm, code))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    p = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'run.py'), '--nifasm', wrapper, filt],
                       capture_output=True, text=True)
    tally = TALLY_RE.findall(p.stdout)
    if p.returncode != 1 or not tally:
        return 'a nifasm that %s: run.py exit status %d\n%s%s' % (what, p.returncode, p.stdout, p.stderr)
    passed, failed = map(int, tally[-1])
    if passed or not failed:
        return 'a nifasm that %s: %d of %d tests in %s passed' % (what, passed, passed + failed, filt)
    return None


def check_empty_filter(nifasm, filt):
    p = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'run.py'), '--nifasm', nifasm, filt],
                       capture_output=True, text=True)
    if p.returncode != 2 or 'no test selected' not in p.stderr:
        return 'the filter %s: run.py exit status %d, expected 2\n%s%s' % (filt, p.returncode,
                                                                        p.stdout[-2000:], p.stderr)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nifasm', required=True)
    a = ap.parse_args()
    nifasm = os.path.abspath(a.nifasm)
    bad = []
    with tempfile.TemporaryDirectory(prefix='nifasm-selfcheck-') as tmp:
        for what, filt, code in CASES:
            err = check(nifasm, tmp, what, filt, code)
            if err:
                bad.append(err)
    bad_filters = [e for e in (check_empty_filter(nifasm, f) for f in EMPTY_FILTERS) if e]
    for err in bad + bad_filters:
        print(err)
    print('harness self-check: %d of %d broken nifasms caught, %d of %d empty selections refused'
          % (len(CASES) - len(bad), len(CASES), len(EMPTY_FILTERS) - len(bad_filters), len(EMPTY_FILTERS)))
    bad += bad_filters
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
