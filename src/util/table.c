/* table.c - the CSV half of the table reader and the format sniffing
 * (table.h); the XLSX half is util/xlsx.c. */
#include "util/table.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* libcsv's parser state between records (libcsv.c ROW_NOT_BEGUN). */
#define CSV_ROW_NOT_BEGUN 0

enum line_check { LINE_OK, LINE_BAD_UTF8, LINE_NUL, LINE_CONTROL };

/* Classify s[0..n) (a line without its terminator; CR allowed). With
 * utf8 false only the bytes below 0x80 are checked. */
static enum line_check check_line(const unsigned char *s, size_t n, bool utf8, bool *ascii)
{
	const unsigned char *end = s + n;
	enum line_check bad_enc = LINE_OK;

	*ascii = true;
	while (s < end) {
		unsigned c = *s;
		if (c < 0x80) {
			if (c == 0)
				return LINE_NUL;
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
				return LINE_CONTROL;
			s++;
			continue;
		}
		*ascii = false;
		if (!utf8 || bad_enc) {
			s++;
			continue;
		}
		int len;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
		else { bad_enc = LINE_BAD_UTF8; s++; continue; }
		if (end - s < len) { bad_enc = LINE_BAD_UTF8; s++; continue; }
		bool ok = true;
		for (int i = 1; i < len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				ok = false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (!ok || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			bad_enc = LINE_BAD_UTF8;
			s++;
			continue;
		}
		s += len;
	}
	return bad_enc;
}

void table_excerpt(const char *str, size_t n, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	size_t o = 0;
	int chars = 0;

	if (outlen < 16) {
		if (outlen)
			out[0] = 0;
		return;
	}
	while (s < end && chars < 50 && o + 8 < outlen) {
		bool dummy;
		size_t len = 1;
		if (*s >= 0x80) {
			len = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : 2;
			if ((size_t)(end - s) < len || check_line(s, len, true, &dummy) != LINE_OK)
				len = 0;
		} else if (*s < 0x20 || *s == 0x7f) {
			len = 0;
		}
		if (len == 0) {
			o += (size_t)snprintf(out + o, outlen - o, *s ? "\\x%02X" : "\\0", *s);
			s++;
		} else {
			memcpy(out + o, s, len);
			o += len;
			s += len;
		}
		chars++;
	}
	if (s < end && o + 4 < outlen) {
		memcpy(out + o, "…", 3);
		o += 3;
	}
	out[o] = 0;
}

/* ---- CSV ---- */

struct csv_state {
	table_row_fn fn;
	void *ud;
	struct csv_parser p;
	buf cellbuf;            /* the row's cells, NUL-separated */
	size_t offs[TABLE_CELLS_MAX];
	int ncells;
	bool too_many;
	int64_t rec_start, rec_bytes;
	int stop;
	iconv_t cd;             /* GBK -> UTF-8, or (iconv_t)-1 */
	buf conv;
	char excerpt[256];
};

static void on_field(void *data, size_t len, void *ud)
{
	struct csv_state *s = ud;

	if (s->ncells >= TABLE_CELLS_MAX) {
		s->too_many = true;
		return;
	}
	s->offs[s->ncells++] = s->cellbuf.len;
	buf_add(&s->cellbuf, data ? data : "", data ? len : 0);
	buf_putc(&s->cellbuf, 0);
}

static int emit(struct csv_state *s, const struct table_row *row)
{
	if (!s->stop && s->fn(s->ud, row))
		s->stop = 1;
	return s->stop;
}

static void on_row(int term, void *ud)
{
	struct csv_state *s = ud;
	const char *cells[TABLE_CELLS_MAX];
	struct table_row row = { .line = s->rec_start, .ncells = s->ncells, .cells = cells, .bad_cell = -1 };
	bool any = false;

	(void)term;
	for (int i = 0; i < s->ncells; i++) {
		cells[i] = s->cellbuf.s + s->offs[i];
		if (cells[i][0])
			any = true;
	}
	if (s->too_many)
		row.bad = "列数过多（最多 256 列）";
	if (any || row.bad)
		emit(s, &row);
	s->ncells = 0;
	s->too_many = false;
	buf_reset(&s->cellbuf);
}

static void bad_row(struct csv_state *s, int64_t line, const char *why, const char *value, size_t n)
{
	struct table_row row = { .line = line, .bad = why, .bad_cell = -1 };

	if (value) {
		table_excerpt(value, n, s->excerpt, sizeof(s->excerpt));
		row.bad_value = s->excerpt;
	}
	emit(s, &row);
}

/* Drop the record being parsed (after a bad line): a fresh parser. */
static void csv_reset(struct csv_state *s)
{
	csv_free(&s->p);
	csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI);
	s->ncells = 0;
	s->too_many = false;
	buf_reset(&s->cellbuf);
}

/* Feed one line (with its terminator, if any) in UTF-8. */
static void feed(struct csv_state *s, int64_t line, const char *text, size_t n)
{
	if (s->p.pstate == CSV_ROW_NOT_BEGUN) {
		s->rec_start = line;
		s->rec_bytes = 0;
	}
	s->rec_bytes += (int64_t)n;
	if (s->rec_bytes > TABLE_LINE_MAX) {
		bad_row(s, s->rec_start, "该行超过 64 KiB（多行单元格合计），未读取", NULL, 0);
		csv_reset(s);
		return;
	}
	if (csv_parse(&s->p, text, n, on_field, on_row, s) != n) {
		bad_row(s, s->rec_start, "引号使用有误（引号未成对或引号外有字符）", text, n);
		csv_reset(s);
	}
}

/* GBK line -> UTF-8 in s->conv; false when it does not convert. */
static bool convert(struct csv_state *s, const char *in, size_t n)
{
	char *inp = (char *)in, *outp;
	size_t inleft = n, outleft;

	buf_reset(&s->conv);
	buf_grow(&s->conv, n * 2 + 8);
	outp = s->conv.s;
	outleft = s->conv.cap - 1;
	iconv(s->cd, NULL, NULL, NULL, NULL);
	if (iconv(s->cd, &inp, &inleft, &outp, &outleft) == (size_t)-1)
		return false;
	s->conv.len = (size_t)(outp - s->conv.s);
	s->conv.s[s->conv.len] = 0;
	return true;
}

/* Pass 1: which encoding the file is in (table.h). */
static bool looks_gbk(const unsigned char *p, size_t n)
{
	int64_t bad = 0, good = 0;
	const unsigned char *end = p + n;

	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool ascii;
		if (len <= TABLE_LINE_MAX) {
			enum line_check c = check_line(p, len, true, &ascii);
			if (c == LINE_BAD_UTF8)
				bad++;
			else if (c == LINE_OK && !ascii)
				good++;
		}
		p += len + (nl ? 1 : 0);
	}
	return bad > good;
}

/* The terminator of the line at p: its '\n', or a CR not followed by one
 * (old Mac line ends, where libcsv ends a record too: without it the
 * records of such a line would all get its number); NULL on the last
 * line when it has none. *next_nl keeps the next '\n' found (end: none;
 * NULL at first), so that a file of CR-ended lines is scanned once. */
static const unsigned char *line_end(const unsigned char *p, const unsigned char *end, const unsigned char **next_nl)
{
	const unsigned char *nl, *cr;

	if (!*next_nl || *next_nl < p) {
		nl = memchr(p, '\n', (size_t)(end - p));
		*next_nl = nl ? nl : end;
	}
	nl = *next_nl < end ? *next_nl : NULL;
	cr = memchr(p, '\r', (size_t)((nl ? nl : end) - p));
	return cr && cr + 1 != nl ? cr : nl;
}

static int read_csv(const unsigned char *data, size_t n, table_row_fn fn, void *ud, struct table_info *info)
{
	struct csv_state s = { .fn = fn, .ud = ud, .cellbuf = BUF_INIT, .conv = BUF_INIT, .cd = (iconv_t)-1 };
	const unsigned char *p = data, *end = data + n, *next_nl = NULL;
	bool gbk = false;
	int64_t line = 0;

	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		info->encoding = "UTF-8 (BOM)";
	} else if (looks_gbk(p, n)) {
		gbk = true;
		info->encoding = "GBK";
		s.cd = iconv_open("UTF-8", "GB18030");
		if (s.cd == (iconv_t)-1)
			return -1;
	} else {
		info->encoding = "UTF-8";
	}
	csv_init(&s.p, CSV_STRICT | CSV_STRICT_FINI);
	while (p < end && !s.stop) {
		const unsigned char *nl = line_end(p, end, &next_nl);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool ascii;
		enum line_check c;

		line++;
		if (len > TABLE_LINE_MAX) {
			bad_row(&s, line, "该行超过 64 KiB，未读取", (const char *)p, 40);
			csv_reset(&s);
		} else if ((c = check_line(p, len, !gbk, &ascii)) == LINE_NUL) {
			bad_row(&s, line, "含有 NUL 字符", (const char *)p, len);
			csv_reset(&s);
		} else if (c == LINE_CONTROL) {
			bad_row(&s, line, "含有控制字符", (const char *)p, len);
			csv_reset(&s);
		} else if (c == LINE_BAD_UTF8) {
			bad_row(&s, line, "编码无效（不是 UTF-8 文字）", (const char *)p, len);
			csv_reset(&s);
		} else if (gbk && !ascii) {
			if (!convert(&s, (const char *)p, len)) {
				bad_row(&s, line, "编码无效（不是 GBK 文字）", (const char *)p, len);
				csv_reset(&s);
			} else {
				buf_putc(&s.conv, '\n');
				feed(&s, line, s.conv.s, s.conv.len);
			}
		} else if (nl) {
			feed(&s, line, (const char *)p, len + 1);
		} else {
			feed(&s, line, (const char *)p, len);
			feed(&s, line, "\n", 1);
		}
		p += len + (nl ? 1 : 0);
	}
	if (!s.stop && s.p.pstate != CSV_ROW_NOT_BEGUN)
		bad_row(&s, s.rec_start, "引号未闭合（单元格一直延续到文件末尾）", NULL, 0);
	csv_free(&s.p);
	if (s.cd != (iconv_t)-1)
		iconv_close(s.cd);
	buf_release(&s.cellbuf);
	buf_release(&s.conv);
	return s.stop ? 1 : 0;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

int table_read(const char *path, table_row_fn fn, void *ud, struct table_info *info, char *why, size_t whylen,
	       int64_t *why_line)
{
	unsigned char head[8] = { 0 };
	struct stat st;
	void *map;
	int fd, rc;
	ssize_t got;

	*why_line = 0;
	info->format = TABLE_CSV;
	info->encoding = "";
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(why, whylen, "无法打开文件：%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(why, whylen, "无法读取文件");
	}
	got = pread(fd, head, sizeof(head), 0);
	if (got >= 4 && !memcmp(head, "PK\3\4", 4)) {
		close(fd);
		info->format = TABLE_XLSX;
		info->encoding = "XLSX";
		return table_read_xlsx(path, fn, ud, why, whylen, why_line);
	}
	if (got >= 8 && !memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		close(fd);
		return fail(why, whylen, "这是旧版 Excel（.xls）或 WPS 文件，请另存为 .xlsx 或 CSV 后再导入");
	}
	if (st.st_size > TABLE_CSV_MAX) {
		close(fd);
		return fail(why, whylen, "CSV 文件超过 %lld MiB", (long long)(TABLE_CSV_MAX >> 20));
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return fail(why, whylen, "无法读取文件：%s", strerror(errno));
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	rc = read_csv(map, (size_t)st.st_size, fn, ud, info);
	munmap(map, (size_t)st.st_size);
	if (rc < 0)
		return fail(why, whylen, "无法转换 GBK 编码（iconv 不可用）");
	return rc;
}
