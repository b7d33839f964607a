/* main.c - the rvm tool: its Isa descriptor for the shared driver, and the
 * table of its instruction set. */
#include "vm.h"

const RvmOpInfo rvm_ops[RVM_NOPS] = {
#define X(id, mn, ops, ends) [RVM_##id] = {mn, ops, ends},
	RVM_OPS(X)
#undef X
};

/* check of a bytecode file: the loader's checks, without running it. */
static bool rvm_check_binary(const u8 *image, size_t n, const char *path)
{
	Program prog;
	bool ok = rvm_load(image, n, path, &prog);
	if (ok)
		free(prog.code);
	return ok;
}

/* --regs: print the non-zero registers when the run ends. */
static int rvm_option(int argc, char **argv, int i, IsaOpts *o)
{
	(void)argc;
	if (strcmp(argv[i], "--regs") != 0)
		return 0;
	o->regs = true;
	return 1;
}

static const Isa isa_rvm = {
	.name = "rvm",
	.summary = "rvm: assembler and VM for the register machine of seed 003.\n"
		   "  asm    assembles PROG.s into bytecode PROG.rbc\n"
		   "  run    runs PROG.s (assembling it first) or PROG.rbc; the exit status is\n"
		   "         the low 8 bits of r1 at haltexe, 2 after a runtime error\n"
		   "  check  assembles PROG.s and reports every error and warning, writing\n"
		   "         nothing; checks a PROG.rbc without running it",
	.src_ext = ".s",
	.bin_ext = ".rbc",
	.options = "  --regs        run: print the non-zero registers r0-r29 on stderr at the end\n",
	.magic = {0x7f, 'R', 'V', 'M'},
	.assemble = rvm_assemble,
	.check_binary = rvm_check_binary,
	.run = rvm_run,
	.option = rvm_option,
};

int main(int argc, char **argv)
{
	return isa_main(argc, argv, &isa_rvm);
}
