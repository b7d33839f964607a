#!/bin/sh
# Prints the -march for `make release`, which runs where it is built:
# x86-64-v3 (AVX2, BMI2, FMA, ...) when this machine has every feature of
# that level, else the x86-64 baseline.  (Not -march=native: on a CPU with
# AVX-512, gcc would use it, and valgrind 3.19 cannot run such code.)
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
for f in avx avx2 bmi1 bmi2 fma f16c movbe abm xsave; do
	case " $flags " in
	*" $f "*) ;;
	*) echo x86-64; exit 0 ;;
	esac
done
echo x86-64-v3
