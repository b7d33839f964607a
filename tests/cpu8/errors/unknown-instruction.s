# An unknown mnemonic is named at its column.
# error: 4:3: unknown instruction `move`
# error: 5:1: unknown instruction `ADD`
  move a b
ADD a b c
halt
