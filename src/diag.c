/* diag.c - user-facing diagnostics: "file:line:col: error: message", the
 * source line and a caret.  Positions are byte offsets; line and column are
 * computed only when a diagnostic is printed, from a line table built once.
 */
#include "all.h"

#include <stdio.h>
#include <stdlib.h>

int diag_error_count;
bool diag_werror;

enum { MAX_ERRORS = 100 };

static void build_line_table(SrcFile *f)
{
	u32 n = 1;
	for (u32 i = 0; i < f->len; i++)
		n += f->text[i] == '\n';
	f->line_starts = xmalloc(n * sizeof(u32));
	f->nlines = 0;
	f->line_starts[f->nlines++] = 0;
	for (u32 i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_starts[f->nlines++] = i + 1;
}

LineCol src_linecol(SrcFile *f, u32 pos)
{
	if (!f->line_starts)
		build_line_table(f);
	if (pos > f->len)
		pos = f->len;
	u32 lo = 0, hi = f->nlines; /* last line start <= pos */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return (LineCol){lo + 1, pos - f->line_starts[lo] + 1};
}

static void print_source_line(SrcFile *f, LineCol lc)
{
	const char *line = f->text + f->line_starts[lc.line - 1];
	const char *end = line;
	while (end < f->text + f->len && *end != '\n' && *end != '\r')
		end++;
	fprintf(stderr, "%5u | %.*s\n      | ", lc.line, (int)(end - line), line);
	for (u32 i = 0; i + 1 < lc.col && line + i < end; i++)
		fputc(line[i] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

static const char *const kind_names[] = {"error", "warning", "note"};

void vdiag_at(DiagKind k, SrcFile *f, u32 pos, const Origin *org, const char *fmt, va_list ap)
{
	if (k == DIAG_WARNING && diag_werror)
		k = DIAG_ERROR;
	LineCol lc = src_linecol(f, pos);
	fprintf(stderr, "%s:%u:%u: %s: ", f->path, lc.line, lc.col, kind_names[k]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	print_source_line(f, lc);
	if (org && org->file)
		fprintf(stderr, "      = generated from %.*s:%d:%d\n", (int)org->filelen, org->file,
			org->line, org->col);
	if (k == DIAG_ERROR && ++diag_error_count >= MAX_ERRORS) {
		fprintf(stderr, "%s: too many errors, stopping\n", f->path);
		exit(1);
	}
}

void diag_at(DiagKind k, SrcFile *f, u32 pos, const Origin *org, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag_at(k, f, pos, org, fmt, ap);
	va_end(ap);
}

void error_plain(const char *prog, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	diag_error_count++;
}
