#!/bin/sh
# Installs the assemblers nifasm is compared with, when missing: GNU as and
# ld (binutils), NASM, YASM and fasm, all from Debian's packages.
exec "$(dirname "$0")/../.ci/need.sh" as ld objdump nasm yasm fasm
