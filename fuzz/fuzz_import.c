/* fuzz_import.c - libFuzzer target: import rows (domain/import.h), the
 * whole verb as a dry run against the demo campaign's store (SQLite, made
 * once per process), for each kind (units, people, problems). The first
 * byte picks the kind and how the rest becomes the file:
 *   (b >> 2) % 3 == 0: the bytes as they are (CSV, or whatever they hold);
 *   1: an XLSX whose parts are the bytes split as fuzz_util.h says;
 *   2: an XLSX of inline strings, the bytes as rows (LF) of cells (TAB).
 * The import must never crash, must answer JB_OK or JB_EINVALID (a store
 * error on bad input would be a 500), list its rejections with a reason,
 * a line and valid UTF-8 texts, and write nothing (a dry run). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/action.h"
#include "domain/demo.h"
#include "domain/import.h"
#include "domain/perm.h"
#include "fuzz_util.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static db *store;
static int64_t audits;

static int64_t audit_count(void)
{
	int64_t n = -1;

	if (db_scalar(store, "SELECT COUNT(*) FROM audit_event", &n, 0) != 0)
		abort();
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char url[160], err[512];

	log_set_level(LOG_ERROR);
	snprintf(url, sizeof(url), "sqlite:%s", fuzz_path("s.db"));
	if (!(store = db_open(url, err, sizeof(err))) || db_migrate(store, err, sizeof(err)) < 0 ||
	    demo_create(store, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_import: %s\n", err);
		abort();
	}
	audits = audit_count();
	return 0;
}

static void xml_escaped(buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		default: buf_putc(b, s[i]);
		}
	}
}

/* Rows (LF) of cells (TAB) as a sheet of inline strings. */
static void rows_sheet(buf *b, const char *s, size_t n)
{
	int r = 0;

	buf_puts(b, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t ln = nl ? (size_t)(nl - s) : n;
		int col = 0;
		buf_printf(b, "<row r=\"%d\">", ++r);
		for (const char *c = s, *end = s + ln; c <= end && col < 26;) {
			const char *tab = memchr(c, '\t', (size_t)(end - c));
			size_t cl = tab ? (size_t)(tab - c) : (size_t)(end - c);
			buf_printf(b, "<c r=\"%c%d\" t=\"inlineStr\"><is><t>", 'A' + col++, r);
			xml_escaped(b, c, cl);
			buf_puts(b, "</t></is></c>");
			if (!tab)
				break;
			c = tab + 1;
		}
		buf_puts(b, "</row>");
		if (!nl)
			break;
		n -= ln + 1;
		s = nl + 1;
	}
	buf_puts(b, "</sheetData></worksheet>");
}

static void check_text(const char *s)
{
	assert(s);
	assert(utf8_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("in");
	struct principal who = perm_cli(1);
	struct import_in in = { .path = path, .file_name = "导入.csv", .dry_run = true };
	struct import_result out;
	struct ctx c;
	arena *a;
	int rc;

	if (size < 1)
		return 0;
	in.kind = (enum import_kind)(data[0] % IMPORT_KIND_COUNT);
	switch ((data[0] >> 2) % 3) {
	case 0:
		fuzz_write(path, data + 1, size - 1);
		break;
	case 1:
		fuzz_xlsx_write(path, (const char *)data + 1, size - 1, data[0] & 0x80);
		break;
	default: {
		buf b = BUF_INIT;
		rows_sheet(&b, (const char *)data + 1, size - 1);
		fuzz_xlsx_write(path, b.s, b.len, true);
		buf_release(&b);
	}
	}
	a = arena_new();
	ctx_init(&c, store, a, &who, "");
	rc = import_run(&c, &in, &out);
	if (rc != JB_OK && rc != JB_EINVALID) {
		fprintf(stderr, "import_run: %d (%s)\n", rc, db_errmsg(store));
		abort();
	}
	if (rc == JB_OK)
		assert(out.rejected == 0);
	else
		assert(out.rejected > 0 || c.nerrs > 0);
	assert(out.nrejects >= 0 && out.nrejects <= IMPORT_REJECTS_MAX && out.nrejects <= out.rejected);
	for (int i = 0; i < out.nrejects; i++) {
		assert(out.rejects[i].line >= 0);
		assert(i == 0 || out.rejects[i].line >= out.rejects[i - 1].line);
		check_text(out.rejects[i].reason);
		assert(out.rejects[i].reason[0]);
		check_text(out.rejects[i].column);
		check_text(out.rejects[i].value);
	}
	for (int i = 0; i < c.nerrs; i++)
		check_text(c.errs[i].message);
	for (int i = 0; i < out.nsamples; i++) {
		check_text(out.samples[i].name);
		check_text(out.samples[i].detail);
	}
	assert(out.created + out.updated + out.unchanged <= out.rows);
	assert(audit_count() == audits);  /* a dry run writes nothing */
	arena_free(a);
	return 0;
}
