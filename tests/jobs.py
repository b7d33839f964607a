#!/usr/bin/env python3
"""-j must change nothing but the time: nifasm checks a file's procs in
several processes, and the result must be that of one process.

    jobs.py --nifasm bin/nifasm

1. Every nifasm test of the suite and every example is assembled with -j 1,
   -j 2 and -j 64 (where each proc after the last top-level instruction
   starts a range of its own, so a worker also loads modules and meets the
   errors).  The exit status, stdout, stderr and the output file's bytes
   must be those of -j 1.
2. Generated programs (bench/gen.py) large enough to split are compared the
   same way with -j 1..5, as are copies of them with an error in many
   procs, with more errors than nifasm reports (so the limit falls in a
   worker's range), and with syntax errors at several places.
3. strace must see -j 3 make two worker processes, and -j 1 none, so the
   comparisons above did run in parallel.
4. Workers that do not come to be or do not finish give their ranges back
   to the parent: under strace's fault injection, with every fork failing,
   the memfd of the shared table failing, every worker's memfd failing,
   every worker killed by SIGKILL as it starts, or killed after its first
   range, -j 3 must still give what -j 1 gives.
5. A slow worker leaves the ranges to the parent: with the worker's second
   result held up 300 ms, -j 2 on a 10^5 program must report (--time) that
   the workers checked at most 2 of its 64 ranges, and give -j 1's
   executable.
tests/run.py lists this script in SCRIPTS, so `make test` runs it.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run import NIFASM_KEYS, SANITIZER_RE, Spec, is_helper  # noqa: E402


def without_leak_check():
    """The environment for nifasm under strace: LeakSanitizer traces the
    process at exit, which it cannot while strace does."""
    return dict(os.environ, ASAN_OPTIONS=os.environ.get('ASAN_OPTIONS', '') + ':detect_leaks=0')


def assemble(nifasm, src, args, jobs, tmp, under=(), env=None):
    """(status, stdout, stderr, output bytes or None) of one run in its own
    directory, so every run names its output a.out; `under` is a command
    that runs nifasm (strace), with `env`."""
    d = os.path.join(tmp, 'j%d' % jobs)
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, 'a.out')
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run(list(under) + [nifasm, src, '-o', 'a.out', '-j', str(jobs)] + args, cwd=d,
                       capture_output=True, timeout=120, env=env)
    se = p.stderr.decode('utf-8', 'replace')
    if SANITIZER_RE.search(se):
        raise SystemExit('sanitizer report with -j %d on %s:\n%s' % (jobs, src, se))
    data = open(out, 'rb').read() if os.path.exists(out) else None
    return p.returncode, p.stdout, se, data


def change(where, jobs, base, got):
    """How the -j `jobs` run `got` (of assemble) differs from the -j 1 run
    `base`, or None."""
    for what, a, b in zip(('exit status', 'stdout', 'stderr', 'output file'), base, got):
        if a != b:
            return '%s: -j %d changes the %s\n-j 1: %r\n-j %d: %r' % (
                where, jobs, what, str(a)[:600], jobs, str(b)[:600])
    return None


def differs(nifasm, src, args, jobs_list, tmp):
    """The first way in which a -j run differs from -j 1, or None."""
    base = assemble(nifasm, src, args, 1, tmp)
    for j in jobs_list:
        bad = change(os.path.relpath(src, ROOT), j, base, assemble(nifasm, src, args, j, tmp))
        if bad:
            return bad
    return None


def suite_files():
    for base in (os.path.join(ROOT, 'tests', 'nifasm'), os.path.join(ROOT, 'examples')):
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if f.endswith('.nif') and not is_helper(p):
                    yield p


def check_suite(nifasm, tmp):
    n = 0
    for src in suite_files():
        args = shlex.split(Spec(src, NIFASM_KEYS).one('args', ''))
        bad = differs(nifasm, src, args, (2, 64), tmp)
        if bad:
            return bad, n
        n += 1
    return None, n


# ---- generated programs ------------------------------------------------------------

def generate(tmp, size):
    d = os.path.join(tmp, 'gen%d' % size)
    subprocess.run([sys.executable, os.path.join(ROOT, 'bench', 'gen.py'), str(size), d],
                   check=True, stdout=subprocess.DEVNULL)
    return open(os.path.join(d, 'prog.nif')).read()


def with_bad_ins(text, every):
    """A wrong instruction (three operands for mov) first in the body of
    every `every`-th proc."""
    parts = text.split('\n (body\n')
    for i in range(1, len(parts), every):
        parts[i] = '  (mov (rax) (rcx) (rdx))\n' + parts[i]
    return '\n (body\n'.join(parts)


def with_syntax_error(text, where, junk):
    """junk inserted at the start of the line nearest to where * len."""
    at = text.rfind('\n', 0, int(len(text) * where)) + 1
    return text[:at] + junk + text[at:]


def generated_cases(tmp):
    small, big = generate(tmp, 4000), generate(tmp, 30000)
    yield 'gen-4000', small
    yield 'gen-30000', big
    yield 'errors-in-every-third-proc', with_bad_ins(small, 3)
    yield 'more-errors-than-reported', with_bad_ins(big, 1)
    for where in (0.3, 0.6, 0.95):
        yield 'stray-close-at-%g' % where, with_syntax_error(small, where, ')\n')
        yield 'open-string-at-%g' % where, with_syntax_error(small, where, '"\n')
    yield 'unclosed-end', small.rstrip().rstrip(')')


def check_generated(nifasm, tmp):
    n = 0
    for name, text in generated_cases(tmp):
        src = os.path.join(tmp, name + '.nif')
        with open(src, 'w') as f:
            f.write(text)
        bad = differs(nifasm, src, [], (2, 3, 5), tmp)
        if bad:
            return bad, n
        n += 1
    return None, n


# ---- the workers exist -------------------------------------------------------------

def read_logs(folder):
    """strace -ff's logs in folder, one per process, as one text."""
    text = ''
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as f:
            text += f.read()
    return text


def log_folder(tmp, name):
    """An empty folder for strace -ff's logs: one per process, so that no
    call another process interrupts is split over two lines
    (<unfinished ...>, resumed)."""
    folder = os.path.join(tmp, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    return folder


def traced(nifasm, src, jobs, tmp, calls, cpus=None):
    """The strace logs of every process of `nifasm src -j jobs --check`
    (on `cpus` if given), for the system calls `calls`, as one text."""
    logs = log_folder(tmp, 'strace')
    taskset = ['taskset', '-c', ','.join(map(str, sorted(cpus)))] if cpus else []
    subprocess.run(taskset + ['strace', '-ff', '-qq', '-e', 'trace=' + calls, '-o', os.path.join(logs, 'log'),
                              nifasm, src, '-j', str(jobs), '--check'],
                   check=True, env=without_leak_check(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return read_logs(logs)


def children(text):
    """The pids of the processes a strace log shows made."""
    return {int(x) for x in re.findall(r'\b(?:v?fork|clone3?)\(.*= +([1-9]\d*)', text)}


def forks(nifasm, src, jobs, tmp):
    return len(children(traced(nifasm, src, jobs, tmp, 'fork,vfork,clone,clone3')))


# ---- workers that fail -------------------------------------------------------------

# strace's fault injection, what its log shows once for each process it hit,
# and how many it must hit.  strace counts each process's calls apart.  The
# parent's first memfd_create is the table of who checks which range; then
# each worker gets one.  A worker's first system call of its own is getppid
# (worker_begin); it writes each range's result with one writev, so the
# second kills it after one range.  Whether both workers live to take a
# second range depends on the speeds, so that fault need hit only one.
FAULTS = (
    ('fork fails', 'clone:error=EAGAIN', r'clone\(.*= -1 EAGAIN .*\(INJECTED\)', 2),
    ('the table\'s memfd_create fails', 'memfd_create:error=EMFILE:when=1',
     r'memfd_create\("nifasm-jobs".*\(INJECTED\)', 1),
    ('the workers\' memfd_create fails', 'memfd_create:error=EMFILE:when=2+',
     r'memfd_create\("nifasm-worker".*\(INJECTED\)', 2),
    ('the worker is killed as it starts', 'getppid:signal=KILL', r'\+\+\+ killed by SIGKILL', 2),
    ('the worker is killed after one range', 'writev:signal=KILL:when=2',
     r'\+\+\+ killed by SIGKILL', (1, 2)),
    # only the parent maps a worker's memfd (-P: only calls on that file);
    # it hits once per worker that sent a result
    ('the parent cannot map the workers\' results', 'mmap:error=ENOMEM',
     r'ENOMEM .*\(INJECTED\)', (1, 2), ['-P', '/memfd:nifasm-worker']),
)


def under_fault(nifasm, src, inject, jobs, tmp, args=(), only=()):
    """assemble's result under strace injecting `inject` (into the calls
    `only` selects, strace options), and strace's logs."""
    logs = log_folder(tmp, 'fault')
    strace = ['strace', '-ff', '-qq', '-o', os.path.join(logs, 'log'), *only,
              '-e', 'trace=' + inject.split(':')[0], '-e', 'inject=' + inject]
    got = assemble(nifasm, src, list(args), jobs, tmp, under=strace, env=without_leak_check())
    return got, read_logs(logs)


def big_program(tmp):
    """The 10^5 program (2.6 MB, 679 procs), written once: with -j 3 its 96
    ranges take the parent tens of milliseconds alone, so each worker takes
    ranges even when other tests load the machine."""
    src = os.path.join(tmp, 'gen-100000.nif')
    if not os.path.exists(src):
        with open(src, 'w') as f:
            f.write(generate(tmp, 100000))
    return src


def check_faults(nifasm, tmp):
    """-j 3 under each fault against -j 1 without, on a clean program and on
    one with errors in many procs."""
    clean = big_program(tmp)
    with open(clean) as f:
        text = f.read()
    broken = os.path.join(tmp, 'fault-errors.nif')
    with open(broken, 'w') as f:
        f.write(with_bad_ins(text, 5))
    for src in (clean, broken):
        base = assemble(nifasm, src, [], 1, tmp)
        for what, inject, hit, want, *only in FAULTS:
            got, log = under_fault(nifasm, src, inject, 3, tmp, only=only[0] if only else ())
            hits = len(re.findall(hit, log))
            if hits not in (want if isinstance(want, tuple) else (want,)):
                return '%s: strace hit %d processes, expected %s:\n%s' % (what, hits, want, log[:2000])
            bad = change('%s (%s)' % (what, os.path.basename(src)), 3, base, got)
            if bad:
                return bad
    return None


# ---- a slow worker ------------------------------------------------------------------

def check_balance(nifasm, tmp):
    """The ranges are shared out as the work goes: a worker whose second
    result takes 300 ms to send (strace delays its second writev) keeps
    only the two ranges it took, and the parent checks the other 62 of the
    10^5 program meanwhile, then takes those two results; the executable
    is that of -j 1."""
    src = big_program(tmp)
    base = assemble(nifasm, src, [], 1, tmp)
    got, _ = under_fault(nifasm, src, 'writev:delay_exit=300000:when=2', 2, tmp, ['--time'])
    if got[0] != base[0] or got[3] != base[3]:
        return 'a slow worker: -j 2 gives another exit status or executable than -j 1'
    m = re.search(r'workers checked (\d+) of (\d+) ranges', got[2])
    if not m or m.group(2) != '64' or int(m.group(1)) > 2:
        return 'a slow worker: expected it to check at most 2 of 64 ranges:\n' + got[2][-600:]
    return None


def check_forks(nifasm, tmp):
    src = os.path.join(tmp, 'gen-30000.nif')
    for jobs, want in ((1, 0), (3, 2)):
        got = forks(nifasm, src, jobs, tmp)
        if got != want:
            return '-j %d made %d worker processes, expected %d' % (jobs, got, want)
    return None


def placements(nifasm, src, jobs, tmp, cpus):
    """The (worker pid, CPU) pairs nifasm pins, and the workers' pids,
    when it may run on `cpus`."""
    text = traced(nifasm, src, jobs, tmp, 'clone,clone3,sched_setaffinity', cpus)
    pins = [(int(a), int(b)) for a, b in re.findall(r'sched_setaffinity\((\d+), \d+, \[(\d+)\]\) += 0', text)]
    return pins, children(text)


def check_placement(nifasm, tmp):
    """With a CPU for every process, each worker is put on a CPU of its
    own (the parent pins it right after the fork); with fewer CPUs, none."""
    src = os.path.join(tmp, 'gen-30000.nif')
    cpus = sorted(os.sched_getaffinity(0))
    for jobs, allowed in ((2, cpus), (2, cpus[:1]), (3, cpus[:2])):
        pins, workers = placements(nifasm, src, jobs, tmp, allowed)
        want = jobs - 1 if len(allowed) >= jobs else 0
        ok = (len(pins) == want and {p for p, _ in pins} <= workers and len({c for _, c in pins}) == want
              and all(c in allowed for _, c in pins))
        if not ok:
            return ('-j %d on CPUs %s: pinned %s (workers %s), expected %d workers on distinct CPUs'
                    % (jobs, allowed, pins, sorted(workers), want))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nifasm', required=True)
    a = ap.parse_args()
    nifasm = os.path.abspath(a.nifasm)
    if not shutil.which('strace'):
        print('strace is missing (apt-get install strace)')
        return 1
    with tempfile.TemporaryDirectory(prefix='nifasm-jobs-') as tmp:
        bad, suite = check_suite(nifasm, tmp)
        if not bad:
            bad, gen = check_generated(nifasm, tmp)
        if not bad:
            bad = check_forks(nifasm, tmp)
        if not bad:
            bad = check_placement(nifasm, tmp)
        if not bad:
            bad = check_faults(nifasm, tmp)
        if not bad:
            bad = check_balance(nifasm, tmp)
    if bad:
        print(bad)
        return 1
    print('jobs: -j changes nothing in %d suite files and %d generated programs (-j 1 to 64), '
          'nor when its forks fail, its memfds fail, its workers are killed or their results cannot be mapped; '
          'each worker gets a CPU of its own when there are enough; a slow worker leaves its ranges to the parent' % (suite, gen))
    return 0


if __name__ == '__main__':
    sys.exit(main())
