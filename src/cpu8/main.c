/* main.c - bin/cpu8: the cpu8 ISA descriptor for the shared driver. */
#include "cpu8.h"

#include <errno.h>
#include <stdio.h>

/* Parses, warns about hazards, and encodes. */
static bool assemble(SrcFile *src, Buf *image, const IsaOpts *o)
{
	(void)o;
	Cpu8Prog prog = {0};
	bool ok = cpu8_parse(src, &prog);
	if (ok) {
		cpu8_check_hazards(src, &prog);
		cpu8_write_image(&prog, image);
	}
	vec_free(&prog.ins);
	return ok;
}

/* check of a binary: the loader's checks, without running it. */
static bool check_binary(const u8 *image, size_t n, const char *path)
{
	Cpu8Prog prog = {0};
	bool ok = cpu8_read_image(image, n, path, &prog);
	vec_free(&prog.ins);
	return ok;
}

static int run(const u8 *image, size_t n, SrcFile *src, const char *path, const IsaOpts *o)
{
	Cpu8Prog prog = {0};
	int status = cpu8_read_image(image, n, path, &prog) ? cpu8_simulate(&prog, src, path, o) : 1;
	vec_free(&prog.ins);
	return status;
}

static int option(int argc, char **argv, int i, IsaOpts *o)
{
	if (!strcmp(argv[i], "--trace")) {
		o->trace = true;
		return 1;
	}
	if (strcmp(argv[i], "--max-cycles"))
		return 0;
	char *end = NULL;
	errno = 0;
	unsigned long long n = i + 1 < argc ? strtoull(argv[i + 1], &end, 10) : 0;
	if (!end || *end || end == argv[i + 1] || errno || n == 0 || argv[i + 1][0] == '-') {
		error_plain("cpu8", "--max-cycles needs a positive number of cycles");
		return -1;
	}
	o->max_cycles = n;
	return 2;
}

static const Isa isa_cpu8 = {
	.name = "cpu8",
	.summary = "Assembles, checks and simulates programs for the 8-bit CPU of seed 004\n"
		   "(docs/cpu8.md).  asm and check warn about pipeline hazards; run prints\n"
		   "port output on stdout and `cycles: N` on stderr at `halt`.",
	.src_ext = ".s",
	.bin_ext = ".bin",
	.options = "  --max-cycles N  run: stop with an error after N cycles (default 100000000)\n"
		   "  --trace       run: print every cycle on stderr\n",
	.magic = {'c', 'p', 'u', '8'},
	.default_max_cycles = 100000000,
	.assemble = assemble,
	.check_binary = check_binary,
	.run = run,
	.option = option,
};

int main(int argc, char **argv)
{
	return isa_main(argc, argv, &isa_cpu8);
}
