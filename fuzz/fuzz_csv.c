/* fuzz_csv.c - libFuzzer target: the table reader (util/table.h) on
 * arbitrary bytes as a CSV file (an input that starts like a zip or an
 * OLE2 file is fuzz_xlsx's): it must never crash, must read it as CSV in
 * one of its encodings (none for an empty file), and every row it hands over has a line after the
 * one before, at most TABLE_CELLS_MAX cells of valid UTF-8 without NUL
 * and, when bad, a reason. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "util/table.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(void *ud, const struct table_row *row)
{
	int64_t *last = ud;

	assert(row->line > *last);
	*last = row->line;
	assert(row->ncells >= 0 && row->ncells <= TABLE_CELLS_MAX);
	if (row->bad) {
		assert(utf8_valid(row->bad, strlen(row->bad)) && row->bad[0]);
		if (row->bad_value)
			assert(utf8_valid(row->bad_value, strlen(row->bad_value)));
		return 0;
	}
	for (int i = 0; i < row->ncells; i++)
		assert(utf8_valid(row->cells[i], strlen(row->cells[i])));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("in.csv");
	char why[512] = "";
	struct table_info info;
	int64_t line, last = 0;
	int rc;

	if (size >= 4 && (!memcmp(data, "PK\3\4", 4) || !memcmp(data, "\xD0\xCF\x11\xE0", 4)))
		return 0;
	fuzz_write(path, data, size);
	rc = table_read(path, check_row, &last, &info, why, sizeof(why), &line);
	if (rc < 0) {
		assert(why[0] && utf8_valid(why, strlen(why)));
		assert(line >= 0);
	} else {
		assert(rc == 0);
		assert(info.format == TABLE_CSV);
		assert(info.encoding && (info.encoding[0] || size == 0));
	}
	return 0;
}
