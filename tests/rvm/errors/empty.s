# error: 1:1: the program has no instructions
start:
