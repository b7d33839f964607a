/* isa_main.c - the shared command-line driver of the custom ISAs. */
#include "isa.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(const Isa *isa, FILE *f)
{
	fprintf(f,
		"usage: %s asm PROG%s -o PROG%s\n"
		"       %s run PROG%s|PROG%s\n"
		"       %s check PROG%s|PROG%s\n"
		"\n%s\n\n"
		"options:\n"
		"  -o OUT        output file of asm\n"
		"  --werror      treat warnings as errors\n"
		"%s"
		"  --help        show this help\n",
		isa->name, isa->src_ext, isa->bin_ext, isa->name, isa->src_ext, isa->bin_ext,
		isa->name, isa->src_ext, isa->bin_ext, isa->summary, isa->options);
}

typedef struct Cmd {
	const char *verb;
	const char *file;
	IsaOpts o;
} Cmd;

/* Returns -1 to go on, or an exit status. */
static int parse(int argc, char **argv, const Isa *isa, Cmd *c)
{
	c->o.max_cycles = isa->default_max_cycles;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int used;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(isa, stdout);
			return 0;
		} else if (!strcmp(a, "-o") && i + 1 < argc) {
			c->o.out = argv[++i];
		} else if (!strcmp(a, "--werror")) {
			c->o.werror = true;
		} else if (isa->option && (used = isa->option(argc, argv, i, &c->o)) != 0) {
			if (used < 0)
				return 1;
			i += used - 1;
		} else if (a[0] == '-' && a[1]) {
			error_plain(isa->name, "unknown option '%s' (see --help)", a);
			return 1;
		} else if (!c->verb) {
			c->verb = a;
		} else if (!c->file) {
			c->file = a;
		} else {
			error_plain(isa->name, "unexpected argument '%s' (see --help)", a);
			return 1;
		}
	}
	if (!c->verb || !c->file) {
		usage(isa, stderr);
		return 1;
	}
	return -1;
}

static bool is_binary(const Isa *isa, const char *text, u32 len)
{
	return len >= 4 && memcmp(text, isa->magic, 4) == 0;
}

/* Assembles source text.  A NUL byte is an error where it stands, as in
 * nifasm: the assemblers' names and messages are C strings, which it
 * would cut. */
static bool assemble(const Isa *isa, SrcFile *src, Buf *image, const IsaOpts *o)
{
	const char *nul = memchr(src->text, 0, src->len);
	if (nul) {
		error_at(src, (u32)(nul - src->text), "unexpected NUL byte");
		return false;
	}
	return isa->assemble(src, image, o);
}

static int do_asm(const Isa *isa, Cmd *c, SrcFile *src)
{
	if (is_binary(isa, src->text, src->len)) {
		error_plain(isa->name, "%s is not source but %s output; asm reads source", c->file, isa->name);
		return 1;
	}
	if (!c->o.out) {
		error_plain(isa->name, "asm needs an output file: -o PROG%s", isa->bin_ext);
		return 1;
	}
	Buf image = {0};
	bool ok = assemble(isa, src, &image, &c->o) && diag_error_count == 0;
	if (ok && !write_output_file(c->o.out, image.p, image.n, 0644)) {
		error_plain(isa->name, "cannot write %s: %s", c->o.out, strerror(errno));
		ok = false;
	}
	buf_free(&image);
	return ok ? 0 : 1;
}

static int do_run(const Isa *isa, Cmd *c, SrcFile *src)
{
	if (is_binary(isa, src->text, src->len))
		return isa->run((const u8 *)src->text, src->len, NULL, c->file, &c->o);
	Buf image = {0};
	int status = 1;
	if (assemble(isa, src, &image, &c->o) && diag_error_count == 0)
		status = isa->run(image.p, image.n, src, c->file, &c->o);
	buf_free(&image);
	return status;
}

/* Checking a source file is assembling it, with every error and warning,
 * into an image nobody writes. */
static int do_check(const Isa *isa, Cmd *c, SrcFile *src)
{
	Buf scratch = {0};
	bool ok = is_binary(isa, src->text, src->len)
			  ? isa->check_binary((const u8 *)src->text, src->len, c->file)
			  : assemble(isa, src, &scratch, &c->o);
	buf_free(&scratch);
	return ok && diag_error_count == 0 ? 0 : 1;
}

int isa_main(int argc, char **argv, const Isa *isa)
{
	Cmd c = {0};
	int status = parse(argc, argv, isa, &c);
	if (status >= 0)
		return status;
	diag_werror = c.o.werror;
	SrcFile src = {.path = c.file};
	char *text;
	if (!read_file(c.file, &text, &src.len)) {
		error_plain(isa->name, "cannot read %s: %s", c.file, file_error(errno));
		return 1;
	}
	src.text = text;
	if (!strcmp(c.verb, "asm"))
		status = do_asm(isa, &c, &src);
	else if (!strcmp(c.verb, "run"))
		status = do_run(isa, &c, &src);
	else if (!strcmp(c.verb, "check"))
		status = do_check(isa, &c, &src);
	else {
		error_plain(isa->name, "unknown command '%s': use asm, run or check", c.verb);
		status = 1;
	}
	release_file(text, src.len);
	free(src.line_starts);
	return status;
}
