#!/bin/sh
# bench/reader.sh - the NIF reader's speed: MB/s of `nifasm --parse-only` on
# generated code with line information (bench/gen-reader-input.py), best of
# RUNS runs, with the peak RSS of the best run.
#
#   bench/reader.sh [SIZE_MB [RUNS]]        defaults: 30 MB, 5 runs
#
# NIFASM (default bin/nifasm) is the binary to time; MEASURE (default
# build/bench/measure, built by make when unset) is the launcher that times
# it and reads its own peak RSS (a child of Python or of this shell would
# report at least its parent's size; see bench/measure.c).  The input is
# written to ${TMPDIR:-/tmp}/nifasm-reader-SIZE.nif and reused until
# bench/gen-reader-input.py changes.
set -eu

size=${1:-30}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
nifasm=${NIFASM:-$root/bin/nifasm}
gen=$root/bench/gen-reader-input.py
input=${TMPDIR:-/tmp}/nifasm-reader-$size.nif

if [ ! -x "$nifasm" ]; then
	echo "reader.sh: no $nifasm (run make first)" >&2
	exit 1
fi
if [ -z "${MEASURE:-}" ]; then
	make -s -C "$root" build/bench/measure
	MEASURE=$root/build/bench/measure
fi
if [ ! -f "$input" ] || [ "$input" -ot "$gen" ]; then
	python3 "$gen" "$size" "$input.tmp.$$"
	mv "$input.tmp.$$" "$input"
fi

i=0
results=""
while [ "$i" -lt "$runs" ]; do
	# measure prints "SECONDS PEAK_RSS_KB" as the last line on stderr
	if ! out=$("$MEASURE" "$nifasm" --parse-only "$input" 2>&1 >/dev/null); then
		echo "reader.sh: $nifasm failed on $input" >&2
		printf '%s\n' "$out" >&2
		exit 1
	fi
	results="$results$(printf '%s\n' "$out" | tail -n 1)
"
	i=$((i + 1))
done
bytes=$(wc -c <"$input")
printf '%s' "$results" | awk -v bytes="$bytes" -v runs="$runs" '
	NF == 2 && (best == "" || $1 < best) { best = $1; rss = $2 }
	END {
		mb = bytes / 1e6
		printf "reader: %.1f MB in %.4f s (best of %d): %.0f MB/s, peak RSS %.1f MB\n",
		       mb, best, runs, mb / best, rss / 1024
	}'
