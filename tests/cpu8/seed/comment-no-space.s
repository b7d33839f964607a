# Seed: "#dont do this" -- `#` glued to a word is not a comment.
# error: 4:1: `#dont` is not a comment: a comment is `#` followed by a space
# error: 5:9: `#not` is not a comment: a comment is `#` followed by a space
#dont do this
ldi a 1 #not a comment either
halt
