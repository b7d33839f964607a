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

/* The starts of f's lines, found with memchr (a byte loop took a fifth of
 * a run that reported an error in a 2 GB file). */
static void build_line_table(SrcFile *f)
{
	U32Vec starts = {0};
	vec_push(&starts, 0);
	const char *end = f->text + f->len;
	for (const char *p = f->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;)
		vec_push(&starts, (u32)(++p - f->text));
	f->line_starts = starts.v;
	f->nlines = starts.n;
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

/* A line longer than EXCERPT_MAX bytes is shown as a window around the
 * column, EXCERPT_BEFORE bytes before it, with "..." where it is cut: a
 * file written as one line would otherwise be printed whole with every
 * message (100 errors in a 15 MB line once printed 3 GB). */
enum { EXCERPT_MAX = 160, EXCERPT_BEFORE = 60 };

/* The part of [line, end) to show, so that byte col0 lies in it. */
static void excerpt_window(const char *line, const char *end, u32 col0, const char **from,
			   const char **to)
{
	*from = line, *to = end;
	if (end - line <= EXCERPT_MAX)
		return;
	col0 = MIN(col0, (u32)(end - line));
	*from = line + (col0 > EXCERPT_BEFORE ? col0 - EXCERPT_BEFORE : 0);
	*to = end - *from > EXCERPT_MAX ? *from + EXCERPT_MAX : end;
	while (*from > line && utf8_continuation(**from)) /* whole characters only */
		--*from;
	while (*to < end && utf8_continuation(**to))
		++*to;
}

static void put_source_line(Buf *b, SrcFile *f, LineCol lc)
{
	const char *line = f->text + f->line_starts[lc.line - 1];
	const char *end = line, *from, *to;
	while (end < f->text + f->len && *end != '\n' && *end != '\r')
		end++;
	excerpt_window(line, end, lc.col - 1, &from, &to);
	const char *cut_before = from > line ? "..." : "", *cut_after = to < end ? "..." : "";
	buf_printf(b, "%5u | %s%.*s%s\n      | %s", lc.line, cut_before, (int)(to - from), from,
		   cut_after, from > line ? "   " : "");
	for (const char *q = from; q < line + lc.col - 1 && q < to; q++)
		buf_byte(b, *q == '\t' ? '\t' : ' ');
	buf_put(b, "^\n", 2);
}

static const char *const kind_names[] = {"error", "warning", "note"};

Buf *diag_capture;
void (*diag_on_limit)(void);

/* A captured diagnostic: [kind: 1 byte][length: 4 bytes][text]. */
enum { RECORD_HEAD = 5 };

static void capture(DiagKind k, const Buf *text)
{
	u8 *head = buf_room(diag_capture, RECORD_HEAD);
	head[0] = (u8)k;
	put_le(head + 1, text->n, 4);
	diag_capture->n += RECORD_HEAD;
	buf_put(diag_capture, text->p, text->n);
}

/* Prints (or captures) one formatted diagnostic and counts it. */
static void emit(DiagKind k, const Buf *text, const char *path)
{
	if (diag_capture)
		capture(k, text);
	else
		buf_write(text, stderr);
	if (k != DIAG_ERROR || ++diag_error_count < MAX_ERRORS)
		return;
	if (diag_on_limit)
		diag_on_limit();
	fprintf(stderr, "%s: too many errors, stopping\n", path);
	exit(1);
}

void vdiag_at(DiagKind k, SrcFile *f, u32 pos, const Origin *org, const char *fmt, va_list ap)
{
	if (k == DIAG_WARNING && diag_werror)
		k = DIAG_ERROR;
	LineCol lc = src_linecol(f, pos);
	Buf b = {0};
	buf_printf(&b, "%s:%u:%u: %s: ", f->path, lc.line, lc.col, kind_names[k]);
	buf_vprintf(&b, fmt, ap);
	buf_byte(&b, '\n');
	put_source_line(&b, f, lc);
	if (org && org->file)
		buf_printf(&b, "      = generated from %.*s:%d:%d\n", (int)org->filelen, org->file,
			   org->line, org->col);
	emit(k, &b, f->path);
	buf_free(&b);
}

void diag_replay(const u8 *records, size_t n, const char *path)
{
	for (size_t at = 0; at + RECORD_HEAD <= n;) {
		size_t len = get_le(records + at + 1, 4);
		Buf text = {(u8 *)records + at + RECORD_HEAD, len, len};
		emit((DiagKind)records[at], &text, path);
		at += RECORD_HEAD + len;
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
