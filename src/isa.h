/* isa.h - the descriptor of a custom instruction set (cpu8, rvm).
 *
 * Each custom ISA lives in its own folder (src/cpu8/, src/rvm/) and fills
 * one Isa with designated initializers; isa_main.c is the shared driver:
 *
 *     TOOL asm PROG.s -o PROG.bin     assemble (warnings on stderr)
 *     TOOL run PROG.s|PROG.bin        assemble if needed, then run
 *     TOOL check PROG.s|PROG.bin      static checks only (a binary: the loader's)
 *
 * User errors go through diag (file:line:col: error: ..., exit 1, no output
 * file); a binary is recognised by the ISA's 4-byte magic.
 */
#ifndef ISA_H
#define ISA_H

#include "all.h"

typedef struct IsaOpts {
	const char *out;    /* asm: -o */
	bool werror;        /* --werror: warnings are errors */
	u64 max_cycles;     /* run: limit (cpu8: --max-cycles) */
	bool regs;          /* run: print registers at the end (rvm: --regs) */
	bool trace;         /* run: trace every instruction on stderr */
} IsaOpts;

typedef struct Isa {
	const char *name;     /* "cpu8" */
	const char *summary;  /* one line for --help */
	const char *src_ext;  /* ".s" */
	const char *bin_ext;  /* ".bin" */
	const char *options;  /* help text for ISA-specific options, or "" */
	u8 magic[4];          /* first bytes of a binary */
	u64 default_max_cycles;
	/* Assembles source into a binary image; errors and warnings via diag.
	 * Returns false when there was an error.  `check` is this too, with
	 * the image discarded. */
	bool (*assemble)(SrcFile *src, Buf *image, const IsaOpts *o);
	/* The loader's checks of a binary, without running it; false (reported)
	 * when it is malformed. */
	bool (*check_binary)(const u8 *image, size_t n, const char *path);
	/* Runs an image and returns the process exit status.  `src` is the
	 * source it came from, or NULL when it was read from a binary. */
	int (*run)(const u8 *image, size_t n, SrcFile *src, const char *path, const IsaOpts *o);
	/* Parses an ISA-specific option at argv[i]; returns how many arguments
	 * it used (0 if it does not know the option, -1 on a bad value). */
	int (*option)(int argc, char **argv, int i, IsaOpts *o);
} Isa;

int isa_main(int argc, char **argv, const Isa *isa);

#endif
