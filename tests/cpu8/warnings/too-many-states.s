# The checker follows every pipeline state (instruction + jumps in flight).
# Returns in each other's delay slots, with 60 places to return to, make
# more states than it follows: it says so and checks nothing else.
# norun
# shell: (for k in $(seq 60); do printf 'call fn\n-\n-\n'; done; printf 'halt\ndef fn\n'; for k in $(seq 70); do echo return; done) > $TMP/s.s && $CPU8 check $TMP/s.s 2>$TMP/e && grep -c warning: $TMP/e | grep -qx 1 && grep -q '^.*s.s:1:1: warning: hazard checks skipped: the program has more than 262144 pipeline states$' $TMP/e
halt
