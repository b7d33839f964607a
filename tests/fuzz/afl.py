#!/usr/bin/env python3
"""Coverage-guided fuzzing of one tool's assembler with afl++, then a check
of everything it found against the sanitizer build (`make afl`):

    afl.py --tool nifasm|cpu8|rvm --afl BIN --check BIN [--seconds 600] [--dir DIR]

--afl is the tool built with afl-cc (and ASan and UBSan), --check the
plain sanitizer build.  The seeds are the suite's inputs of at most 2 KB
for that tool, the dictionary the words, tags and numbers that occur in
them most often.  afl-fuzz runs for --seconds and keeps its queue in
DIR/out, so a second run goes on from the first (AFL_AUTORESUME).

Every input afl saved as a crash or a hang is then run with --check
under make fuzz's rule (tests/fuzz/mutate.py's `assemble`): exit status
0 with the output written, or 1 with an `error:` line and no output,
within 10 seconds, and no sanitizer report or internal error.  One that breaks the rule is copied to
DIR/failures and named with its command; the last line counts them, and
the status is 1 when any was confirmed.  `--recheck` runs no afl, only
the inputs in DIR/failures against --check again (after a fix, it says
whether they still break the rule).  Not part of `make test`
(docs/testing.md).
"""
import argparse
import collections
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
# the seeds' patterns and the rule are make fuzz's
from mutate import INTERNAL_RE, SANITIZER_RE, TOOLS, Failure, assemble  # noqa: E402

TOOL = {t.name: t for t in TOOLS}
ARGS = {'nifasm': ['-j', '1'], 'cpu8': ['asm'], 'rvm': ['asm']}  # before the input
SEED_MAX = 2048
DICT_SIZE = 300
TOKEN = re.compile(rb'\(?[A-Za-z_.][A-Za-z0-9_.]*|[+-]?[0-9]+')
SANITIZER = {'ASAN_OPTIONS': 'detect_leaks=0:exitcode=86',
             'UBSAN_OPTIONS': 'exitcode=86:halt_on_error=1:print_stacktrace=1'}


def seeds(tool, into):
    """Copies the tool's small suite inputs into `into`; returns their texts."""
    os.makedirs(into, exist_ok=True)
    texts = []
    for pattern in TOOL[tool].corpus:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if os.path.getsize(path) <= SEED_MAX:
                shutil.copy(path, os.path.join(into, '%d%s' % (len(texts), TOOL[tool].ext)))
                with open(path, 'rb') as f:
                    texts.append(f.read())
    return texts


def dictionary(texts, path):
    """afl's dictionary: the most frequent tokens of the seeds."""
    counts = collections.Counter(t for text in texts for t in TOKEN.findall(text))
    with open(path, 'w') as f:
        for i, (tok, _) in enumerate(counts.most_common(DICT_SIZE)):
            f.write('t%d="%s"\n' % (i, ''.join(chr(b) if 32 <= b < 127 and b not in b'"\\' else '\\x%02x' % b
                                              for b in tok)))


def fuzz(a, out, seed_dir, dict_path):
    env = dict(os.environ, AFL_SKIP_CPUFREQ='1', AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES='1',
               AFL_NO_UI='1', AFL_AUTORESUME='1', AFL_NO_AFFINITY='1',
               ASAN_OPTIONS='detect_leaks=0:abort_on_error=1:symbolize=0',
               UBSAN_OPTIONS='halt_on_error=1:abort_on_error=1:symbolize=0')
    argv = ['afl-fuzz', '-i', seed_dir, '-o', out, '-m', 'none', '-t', '2000', '-x', dict_path,
            '-V', str(a.seconds), '--', os.path.abspath(a.afl)] + ARGS[a.tool] + \
           ['@@', '-o', os.path.join(a.dir, 'fuzzed.out')]
    log = os.path.join(a.dir, 'afl-fuzz.log')
    with open(log, 'w') as f:
        done = subprocess.run(argv, env=env, stdout=f, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        with open(log, errors='replace') as f:
            sys.exit('afl.py: afl-fuzz failed (status %d):\n%s' % (done.returncode, f.read()[-3000:]))


def stats(out):
    with open(os.path.join(out, 'default', 'fuzzer_stats')) as f:
        return {k.strip(): v.strip() for k, v in (line.split(':', 1) for line in f.read().splitlines() if ':' in line)}


def broken(a, path):
    """Why the --check build breaks make fuzz's rule on `path`, or None."""
    out = os.path.join(a.dir, 'check.out')
    try:
        r = assemble([a.check] + ARGS[a.tool] + [path, '-o', out], out)
    except Failure as f:
        lines = str(f).splitlines()
        report = [x for x in lines if SANITIZER_RE.search(x) or INTERNAL_RE.search(x)]
        return ': '.join(lines[:1] + report[:1])
    if r.status == 1 and 'error:' not in r.err:
        return 'exit status 1 without an error: line'
    return None


def recheck(a):
    kept = sorted(glob.glob(os.path.join(a.dir, 'failures', '*')))
    still = 0
    for path in kept:
        why = broken(a, path)
        if why:
            still += 1
            print('FAIL %s %s: %s' % (a.check, path, why))
    print('afl %s: %d kept failures, %d still break the rule' % (a.tool, len(kept), still))
    sys.exit(1 if still else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--tool', choices=sorted(ARGS), required=True)
    ap.add_argument('--afl', required=True, help='the tool built with afl-cc')
    ap.add_argument('--check', required=True, help='the tool built with the sanitizers, without afl')
    ap.add_argument('--seconds', type=int, default=600)
    ap.add_argument('--dir', help='where afl keeps its queue (default build/afl/TOOL)')
    ap.add_argument('--recheck', action='store_true', help='only run DIR/failures against --check')
    a = ap.parse_args()
    a.dir = os.path.abspath(a.dir or os.path.join('build', 'afl', a.tool))
    os.environ.update(SANITIZER)  # for the checks; afl-fuzz gets its own
    if a.recheck:
        recheck(a)
    out, seed_dir = os.path.join(a.dir, 'out'), os.path.join(a.dir, 'seeds')
    shutil.rmtree(seed_dir, ignore_errors=True)
    dict_path = os.path.join(a.dir, 'dict')
    dictionary(seeds(a.tool, seed_dir), dict_path)
    fuzz(a, out, seed_dir, dict_path)
    st = stats(out)
    found = sorted(glob.glob(os.path.join(out, 'default', 'crashes', 'id:*')) +
                   glob.glob(os.path.join(out, 'default', 'hangs', 'id:*')))
    failures = os.path.join(a.dir, 'failures')
    confirmed = 0
    for path in found:
        why = broken(a, path)
        if why:
            os.makedirs(failures, exist_ok=True)
            kept = os.path.join(failures, '%s-%d%s' % (a.tool, confirmed, TOOL[a.tool].ext))
            shutil.copy(path, kept)
            confirmed += 1
            print('FAIL %s %s: %s' % (a.check, kept, why))
    print('afl %s: %d s, %s execs, %s inputs in the queue, %d crashes or hangs saved, %d confirmed'
          % (a.tool, a.seconds, st['execs_done'], st['corpus_count'], len(found), confirmed))
    sys.exit(1 if confirmed else 0)


if __name__ == '__main__':
    main()
