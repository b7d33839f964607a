# A run that does not halt within --max-cycles stops with exit status 2.
# args: --max-cycles 1000
# exit: 2
# shell: $CPU8 run $BIN --max-cycles 1000 2>&1 | grep -qx "$BIN: runtime error: no halt within 1000 cycles (see --max-cycles)"
# shell: $CPU8 run $BIN --max-cycles 3 2>&1 | grep -q "no halt within 3 cycles"
def loop
goto loop
-
-
