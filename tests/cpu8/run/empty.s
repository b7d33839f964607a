# An empty program is one empty word: halt, in cycle 1.
# cycles: 1
