#!/usr/bin/env python3
"""Coverage-guided fuzzing of one tool's assembler with afl++, then a check
of everything it found against the sanitizer build (`make afl`):

    afl.py --tool nifasm|cpu8|rvm --afl BIN --check BIN [--seconds 600] [--dir DIR]

--afl is the tool built with afl-cc (and ASan and UBSan), --check the
plain sanitizer build.  The seeds are the suite's inputs of at most 2 KB
for that tool, the dictionary the words, tags and numbers that occur in
them most often.  afl-fuzz runs for --seconds and keeps its queue in
DIR/out, so a second run goes on from the first (AFL_AUTORESUME).

Every input afl saved as a crash or a hang is then run with --check, as
`make fuzz` runs a mutant: exit status 0 with the output written, or 1
with an `error:` line and no output, within 10 seconds, and no sanitizer
report or internal error.  One that breaks the rule is copied to
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

# per tool: the seeds' patterns, and the assembler's arguments around the input
TOOLS = {
    'nifasm': (['tests/nifasm/**/*.nif', 'examples/*.nif'], ['-j', '1'], []),
    'cpu8': (['tests/cpu8/**/*.s'], ['asm'], []),
    'rvm': (['tests/rvm/**/*.s'], ['asm'], []),
}
SEED_MAX = 2048
DICT_SIZE = 300
TOKEN = re.compile(rb'\(?[A-Za-z_.][A-Za-z0-9_.]*|[+-]?[0-9]+')
SANITIZER = ('ASAN_OPTIONS', 'detect_leaks=0:exitcode=86'), \
            ('UBSAN_OPTIONS', 'exitcode=86:halt_on_error=1:print_stacktrace=1')


def seeds(tool, into):
    """Copies the tool's small suite inputs into `into`; returns their texts."""
    os.makedirs(into, exist_ok=True)
    texts = []
    for pattern in TOOLS[tool][0]:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if os.path.getsize(path) <= SEED_MAX:
                shutil.copy(path, os.path.join(into, '%d%s' % (len(texts), os.path.splitext(path)[1])))
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
    before, after = TOOLS[a.tool][1:]
    argv = ['afl-fuzz', '-i', seed_dir, '-o', out, '-m', 'none', '-t', '2000', '-x', dict_path,
            '-V', str(a.seconds), '--', os.path.abspath(a.afl)] + before + ['@@'] + after + \
           ['-o', os.path.join(a.dir, 'fuzzed.out')]
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
    """Why the --check build breaks the rule on `path`, or None."""
    before, after = TOOLS[a.tool][1:]
    result = os.path.join(a.dir, 'check.out')
    if os.path.exists(result):
        os.remove(result)
    argv = [a.check] + before + [path] + after + ['-o', result]
    try:
        done = subprocess.run(argv, env=dict(os.environ, **dict(SANITIZER)), capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return 'no end within 10 s'
    err = done.stderr.decode(errors='replace')
    report = re.search(r'^.*(internal error|==\d+==ERROR|runtime error:).*$', err, re.M)
    if report:
        return 'exit status %d: %s' % (done.returncode, report.group(0))
    if done.returncode not in (0, 1):
        return 'exit status %d: %s' % (done.returncode, err[-300:])
    if done.returncode == 1 and (os.path.exists(result) or 'error:' not in err):
        return 'status 1 with the output written or no error: line'
    if done.returncode == 0 and not os.path.exists(result):
        return 'status 0 without the output'
    return None


def recheck(a):
    kept = sorted(glob.glob(os.path.join(a.dir, 'failures', '*')))
    still = [path for path in kept if broken(a, path)]
    for path in still:
        print('FAIL %s %s: %s' % (a.check, path, broken(a, path)))
    print('afl %s: %d kept failures, %d still break the rule' % (a.tool, len(kept), len(still)))
    sys.exit(1 if still else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--tool', choices=sorted(TOOLS), required=True)
    ap.add_argument('--afl', required=True, help='the tool built with afl-cc')
    ap.add_argument('--check', required=True, help='the tool built with the sanitizers, without afl')
    ap.add_argument('--seconds', type=int, default=600)
    ap.add_argument('--dir', help='where afl keeps its queue (default build/afl/TOOL)')
    ap.add_argument('--recheck', action='store_true', help='only run DIR/failures against --check')
    a = ap.parse_args()
    a.dir = os.path.abspath(a.dir or os.path.join('build', 'afl', a.tool))
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
            kept = os.path.join(failures, '%s-%d%s' % (a.tool, confirmed, '.nif' if a.tool == 'nifasm' else '.s'))
            shutil.copy(path, kept)
            confirmed += 1
            print('FAIL %s %s: %s' % (a.check, kept, why))
    print('afl %s: %d s, %s execs, %s inputs in the queue, %d crashes or hangs saved, %d confirmed'
          % (a.tool, a.seconds, st['execs_done'], st['corpus_count'], len(found), confirmed))
    sys.exit(1 if confirmed else 0)


if __name__ == '__main__':
    main()
