# bin/cpu8 against a second simulator written from docs/cpu8.md's timing
# table (tests/cpu8/model.py): 100 random programs (stores, loads with a
# moving pointer, the data stack, branches in delay slots, calls) must
# give the same output, exit status and cycle count.
# norun
# shell: python3 "$(dirname "$SRC")/../model.py" --cpu8 "$CPU8" --programs 100 --seed 8
halt
