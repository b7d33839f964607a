#!/bin/sh
# bench/reader.sh - the NIF reader's speed: MB/s of `nifasm --parse-only` on
# generated code with line information (bench/gen-reader-input.py), best of
# RUNS runs, with the peak RSS of the best run.
#
#   bench/reader.sh [SIZE_MB [RUNS]]        defaults: 30 MB, 5 runs
#
# NIFASM (default bin/nifasm) is the binary to time; the input is written
# once to ${TMPDIR:-/tmp}/nifasm-reader-SIZE.nif and reused.
set -eu

size=${1:-30}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
nifasm=${NIFASM:-$root/bin/nifasm}
input=${TMPDIR:-/tmp}/nifasm-reader-$size.nif

if [ ! -x "$nifasm" ]; then
	echo "reader.sh: no $nifasm (run make first)" >&2
	exit 1
fi
if [ ! -f "$input" ]; then
	python3 "$root/bench/gen-reader-input.py" "$size" "$input.tmp"
	mv "$input.tmp" "$input"
fi

python3 - "$nifasm" "$input" "$runs" <<'EOF'
import os, sys, time

nifasm, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = None
for _ in range(runs):
    start = time.perf_counter()
    pid = os.spawnv(os.P_NOWAIT, nifasm, [nifasm, '--parse-only', path])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit('reader.sh: %s failed on %s' % (nifasm, path))
    if best is None or wall < best[0]:
        best = (wall, usage.ru_maxrss)
mb = os.path.getsize(path) / 1e6
print('reader: %.1f MB in %.4f s (best of %d): %.0f MB/s, peak RSS %.1f MB'
      % (mb, best[0], runs, mb / best[0], best[1] / 1024))
EOF
