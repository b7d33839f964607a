# nifasm toolkit.  `make` builds the tools into bin/; `make test` runs the
# whole suite; `make asan` runs it again under ASan+UBSan.
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers
DEFS    := -D_POSIX_C_SOURCE=200809L
BUILD   ?= build
BIN     ?= bin
PYTHON  ?= python3

CORE_SRC   := src/util.c src/diag.c
NIFASM_SRC := src/reader.c src/types.c src/decl.c src/check.c src/operand.c \
              src/flow.c src/states.c src/call.c src/cflow.c src/lower.c src/link.c \
              src/elf.c src/dump.c src/jobs.c src/main.c \
              src/amd64/match.c src/amd64/explain.c src/amd64/encode.c \
              src/amd64/relax.c src/amd64/targ.c
CPU8_SRC   := $(wildcard src/cpu8/*.c)
RVM_SRC    := $(wildcard src/rvm/*.c)
HEADERS    := $(wildcard src/*.h src/*/*.h)

# A custom ISA is built once its folder has sources.
TOOLS := nifasm $(if $(CPU8_SRC),cpu8) $(if $(RVM_SRC),rvm)

obj = $(patsubst src/%.c,$(BUILD)/%.o,$(1))

all: $(addprefix $(BIN)/,$(TOOLS))

$(BIN)/nifasm: $(call obj,$(CORE_SRC) $(NIFASM_SRC))
$(BIN)/cpu8: $(call obj,$(CORE_SRC) src/isa_main.c $(CPU8_SRC))
$(BIN)/rvm: $(call obj,$(CORE_SRC) src/isa_main.c $(RVM_SRC))
$(BIN)/rvm: LDLIBS += -lm
$(BIN)/nifasm: LDLIBS += -lpthread

$(addprefix $(BIN)/,$(TOOLS)):
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(DEFS) -c -o $@ $<

test: all
	$(PYTHON) tests/run.py $(foreach t,$(TOOLS),--$(t) $(BIN)/$(t))

# The sanitizer build (asan, fuzz).  A sanitizer report exits with status 86:
# the default, 1, is also the status every expected `error:` wants, so a
# report on an error path would pass.  ASAN_OPTIONS and UBSAN_OPTIONS from
# the environment are kept (e.g. detect_leaks=0); only the exit code is ours.
SAN_MAKE := $(MAKE) BUILD=build/asan BIN=build/asan/bin \
  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  LDFLAGS="-fsanitize=address,undefined"
SAN_ENV := ASAN_OPTIONS='$(if $(ASAN_OPTIONS),$(ASAN_OPTIONS):)exitcode=86' \
  UBSAN_OPTIONS='$(if $(UBSAN_OPTIONS),$(UBSAN_OPTIONS):)exitcode=86:halt_on_error=1:print_stacktrace=1'

asan:
	$(SAN_ENV) $(SAN_MAKE) test

# Random mutants of the suite's inputs (and of cpu8's and rvm's binaries)
# against the sanitizer build: any crash, hang, sanitizer report or
# half-written output fails (tests/fuzz/mutate.py, docs/testing.md).
# FUZZ_TOOLS picks the tools (default: all), FUZZ_COUNT is the number of
# mutants per tool, FUZZ_SEED the seed.  Not part of `make test`.
FUZZ_COUNT ?= 3000
FUZZ_SEED  ?= 1
FUZZ_TOOLS ?= $(TOOLS)
fuzz:
	$(SAN_MAKE) $(addprefix build/asan/bin/,$(FUZZ_TOOLS))
	$(SAN_ENV) $(PYTHON) tests/fuzz/mutate.py $(foreach t,$(FUZZ_TOOLS),--$(t) build/asan/bin/$(t)) \
	  --count $(FUZZ_COUNT) --seed $(FUZZ_SEED)

# Coverage-guided fuzzing of one tool's assembler with afl++ (installed
# when missing) for AFL_SECONDS, then a check of every crash and hang it
# saved against the sanitizer build (tests/fuzz/afl.py, docs/testing.md).
# The queue stays in build/afl/TOOL/out, so a second run goes on from the
# first.  Not part of `make test`.
AFL_TOOL    ?= nifasm
AFL_SECONDS ?= 600
AFL_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
afl:
	.ci/need.sh afl-fuzz
	$(MAKE) BUILD=build/afl/obj BIN=build/afl/bin CC=afl-cc CFLAGS="$(AFL_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" build/afl/bin/$(AFL_TOOL)
	$(SAN_MAKE) build/asan/bin/$(AFL_TOOL)
	$(PYTHON) tests/fuzz/afl.py --tool $(AFL_TOOL) --afl build/afl/bin/$(AFL_TOOL) \
	  --check build/asan/bin/$(AFL_TOOL) --seconds $(AFL_SECONDS)

# Assembles and runs every example (modules marked `helper` are only used).
demo: all
	@for f in examples/*.nif; do \
	  grep -qx 'helper' $$f && continue; \
	  echo "== $$f"; \
	  $(BIN)/nifasm $$f -o $(BUILD)/demo.out && ./$(BUILD)/demo.out; \
	  echo "(exit status $$?)"; \
	done

# The release build of nifasm, which the benchmark measures: gcc -O3 with
# link-time optimisation and profile feedback from one run on a generated
# program (bench/gen.py), for the instruction set levels of the machine
# that builds it (bench/march.sh: x86-64-v3 where it has AVX2 and the rest).
# About a fifth faster than `make`'s -O2, which stays the default because
# it builds in seconds, debugs well and runs on any x86-64.  The profile
# run uses -j 1: every process would write the profile.  It is linked
# static and not position-independent, as GCC builds its own cc1: a table
# lookup is one instruction with an absolute address (3% fewer
# instructions on the 10^5 benchmark), and no dynamic loading at start
# (0.2 ms of the 2.7 at 10^4).  For an experiment, REL puts a variant in
# another directory and REL_EXTRA adds compiler flags to it, e.g.
#   make release REL=build/rel-x REL_EXTRA="-mtune=znver3"
REL       := build/release
REL_CC    ?= gcc
REL_ARCH  ?= $(shell sh bench/march.sh)
REL_FLAGS := -O3 -g -flto=auto -march=$(REL_ARCH) -fno-pie $(REL_EXTRA)
REL_MAKE  := $(MAKE) CC=$(REL_CC) BUILD=$(REL)/obj BIN=$(REL)/bin
release:
	rm -rf $(REL)
	$(REL_MAKE) CFLAGS="$(REL_FLAGS) -fprofile-generate -fprofile-update=single" \
	  LDFLAGS="-flto=auto -static -fprofile-generate" $(REL)/bin/nifasm
	$(PYTHON) bench/gen.py 200000 $(REL)/train >/dev/null
	$(REL)/bin/nifasm -j 1 $(REL)/train/prog.nif -o $(REL)/train/a.out
	find $(REL)/obj -name '*.o' -delete
	rm -f $(REL)/bin/nifasm
	$(REL_MAKE) CFLAGS="$(REL_FLAGS) -fprofile-use -fprofile-correction -Wno-missing-profile" \
	  LDFLAGS="-flto=auto -static -fprofile-use" $(REL)/bin/nifasm

# Benchmarks against GNU as + ld, NASM + ld, YASM + ld and fasm (bench/run.py).
SIZES ?= 1e4 1e5 1e6
RUNS  ?= 5
MEASURE := $(BUILD)/bench/measure
$(MEASURE): bench/measure.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

bench: release $(MEASURE)
	bench/peers.sh
	$(PYTHON) bench/run.py --nifasm $(REL)/bin/nifasm --measure $(MEASURE) --sizes "$(SIZES)" --runs $(RUNS)

bench-full:
	$(MAKE) bench SIZES="1e4 1e5 1e6 1e7"

bench-smoke: release $(MEASURE) $(BIN)/nifasm
	bench/peers.sh
	$(PYTHON) bench/run.py --nifasm $(REL)/bin/nifasm --measure $(MEASURE) --sizes 3e3 --runs 1 --smoke
	$(PYTHON) bench/ab.py --size 3e3 --rounds 1 $(REL)/bin/nifasm $(BIN)/nifasm
	$(PYTHON) bench/cpus.py --size 3e3 --rounds 1 $(REL)/bin/nifasm

clean:
	rm -rf build bin

.PHONY: all test asan demo clean fuzz afl release bench bench-full bench-smoke
