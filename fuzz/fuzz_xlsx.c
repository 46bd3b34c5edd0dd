/* fuzz_xlsx.c - libFuzzer target: the XLSX half of the table reader
 * (util/xlsx.c: libzip, expat). An input that starts like a zip is the
 * file itself; any other is split into the parts of a workbook (the
 * sheet, the shared strings, the workbook, its relationships; fuzz_util.h)
 * and zipped, deflated when its first byte is odd, so that the fuzzer
 * works on the XML the reader walks. The reader must never crash, every
 * row has a line after the one before (rows with r="" may repeat one),
 * at most TABLE_CELLS_MAX cells of valid UTF-8, a reason when bad, and a
 * file it cannot read says why. */
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
	int *rows = ud;

	assert(row->line > 0 && row->line <= 1048576 + *rows + 1);
	(*rows)++;
	assert(row->ncells >= 0 && row->ncells <= TABLE_CELLS_MAX);
	if (row->bad) {
		assert(utf8_valid(row->bad, strlen(row->bad)) && row->bad[0]);
		assert(row->bad_cell >= -1 && row->bad_cell < TABLE_CELLS_MAX);
		if (row->bad_value)
			assert(utf8_valid(row->bad_value, strlen(row->bad_value)));
	}
	for (int i = 0; i < row->ncells; i++)
		assert(row->cells[i] && utf8_valid(row->cells[i], strlen(row->cells[i])));
	return *rows >= 100000;  /* a stop from the caller is honoured */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("in.xlsx");
	char why[512] = "";
	struct table_info info;
	int64_t line;
	int rows = 0, rc;

	if (size >= 4 && !memcmp(data, "PK\3\4", 4))
		fuzz_write(path, data, size);
	else if (size >= 1)
		fuzz_xlsx_write(path, (const char *)data + 1, size - 1, data[0] & 1);
	else
		return 0;
	rc = table_read(path, check_row, &rows, &info, why, sizeof(why), &line);
	if (rc < 0) {
		assert(why[0] && utf8_valid(why, strlen(why)));
		assert(line >= 0);
	} else {
		assert(rc == 0 || rc == 1);
		assert(info.format == TABLE_XLSX);
	}
	return 0;
}
