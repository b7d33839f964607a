# `return` with nothing on the call stack is a runtime error (exit 2),
# reported at the return's source line.  Output before it is kept.
# exit: 2
# stdout: 5
# runtime-error: 10: return with an empty call stack
ldi i 124
ldi a 5
-
store a
return
-
-
halt
