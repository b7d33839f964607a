# A program that halts in exactly the last allowed cycle is fine.
# args: --max-cycles 3
# cycles: 3
-
-
halt
